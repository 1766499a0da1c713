using Advisor.Core.Comparison;

namespace Advisor.Reports.Diff;

/// <summary>The runtime's totals as rows of a table (Markdown and HTML alike), labelled with their unit.</summary>
public static class DiffRuntimeRows
{
    /// <param name="per">"/s" or "/req".</param>
    public static IReadOnlyList<(string Name, Change Change)> Of(RuntimeChange runtime, string per)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return
        [
            ($"lock contentions{per}", runtime.Contentions),
            ($"lock wait ms{per}", runtime.ContentionWaitMs),
            ($"pool work items{per}", runtime.PoolWorkItems),
            ($"pool blocking waits{per}", runtime.PoolBlockedWaits),
            ($"pool injections{per}", runtime.PoolInjections),
            ("most pool workers", runtime.MaxWorkers),
            ($"GCs{per}", runtime.Gcs),
            ($"gen2 GCs{per}", runtime.Gen2Gcs),
            ($"exceptions{per}", runtime.Exceptions),
        ];
    }
}
