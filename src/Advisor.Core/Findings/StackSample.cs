namespace Advisor.Core.Findings;

/// <summary>A call site: the frames (innermost first) and how many of the finding's calls came from it.</summary>
public sealed record StackSample(long Count, IReadOnlyList<string> Frames);
