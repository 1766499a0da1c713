namespace Advisor.Reports.Sarif;

/// <summary>
/// Text with an optional Markdown rendering: SARIF's message, and its multiformatMessageString (rule
/// descriptions and help), which have the same two members.
/// </summary>
internal sealed record SarifMessage(string Text, string? Markdown = null);
