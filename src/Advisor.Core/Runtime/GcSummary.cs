namespace Advisor.Core.Runtime;

/// <summary>Garbage collections during the recording, by generation.</summary>
public sealed record GcSummary(long Count, long Gen0, long Gen1, long Gen2)
{
    public static GcSummary Empty { get; } = new(0, 0, 0, 0);
}
