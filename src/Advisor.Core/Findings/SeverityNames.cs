namespace Advisor.Core.Findings;

/// <summary>Severity names as users write them (rule files, --fail-on) and as reports print them.</summary>
public static class SeverityNames
{
    public static string Display(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Info => "info",
        _ => "none",
    };

    public static bool TryParse(string? text, out Severity severity)
    {
        severity = text?.Trim().ToLowerInvariant() switch
        {
            "error" => Severity.Error,
            "warning" => Severity.Warning,
            "info" => Severity.Info,
            "none" => Severity.None,
            _ => (Severity)(-1),
        };
        return (int)severity >= 0;
    }
}
