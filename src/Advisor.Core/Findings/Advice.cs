namespace Advisor.Core.Findings;

/// <summary>What to change, optionally with a short C# before/after.</summary>
public sealed record Advice(string Text, string? Before = null, string? After = null);
