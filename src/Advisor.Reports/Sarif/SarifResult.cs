namespace Advisor.Reports.Sarif;

/// <summary>
/// One finding (result): the rule by id and by index into the driver's rules, its level and message, where
/// it happened when that is known, and a fingerprint that identifies it across runs.
/// </summary>
/// <param name="Locations">Null when the finding names neither an application frame nor a path.</param>
internal sealed record SarifResult(
    string RuleId,
    int RuleIndex,
    string Level,
    SarifMessage Message,
    IReadOnlyList<SarifLocation>? Locations,
    IReadOnlyDictionary<string, string> PartialFingerprints,
    SarifResultProperties Properties);

/// <summary>A result's property bag: what fixing it would save, and the measured evidence.</summary>
internal sealed record SarifResultProperties(
    double EstimatedSavingMs,
    long AvoidableCalls,
    string SavingExplanation,
    SarifEvidence Evidence);

/// <summary>The finding's evidence, as far as a CI view needs it; the JSON report has the rest.</summary>
internal sealed record SarifEvidence(long Count, double RatePerSecond, double TotalTimeMs, string? Path, int? Fd);
