using System.Text.Json.Serialization;

namespace Advisor.Reports.Sarif;

/// <summary>The SARIF 2.1.0 document (sarifLog): the schema it follows, its version, and its runs.</summary>
internal sealed record SarifLog(
    [property: JsonPropertyName("$schema")] string Schema,
    string Version,
    IReadOnlyList<SarifRun> Runs);

/// <summary>One run of the tool (run): who ran, whether it finished, what it found, and on what.</summary>
internal sealed record SarifRun(
    SarifTool Tool,
    IReadOnlyList<SarifInvocation> Invocations,
    IReadOnlyList<SarifResult> Results,
    SarifRunProperties Properties);

/// <summary>The run's invocation: dotnet-advisor writes a report only when the analysis completed.</summary>
internal sealed record SarifInvocation(bool ExecutionSuccessful);
