namespace Advisor.Reports.Sarif;

/// <summary>
/// The run's property bag: what was profiled, how, and (hang triage) the verdict. The command line is left
/// out: it is the one field that commonly holds secrets, and the JSON report has it.
/// </summary>
internal sealed record SarifRunProperties(SarifTarget Target, SarifSession Session, SarifHang? Hang);

internal sealed record SarifTarget(int Pid, string Name);

internal sealed record SarifSession(string Backend, double DurationSeconds, long EventsTotal, long LostEvents);

internal sealed record SarifHang(string Verdict, string Summary, string NextStep);
