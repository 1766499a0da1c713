namespace Advisor.Reports.Otlp;

/// <summary>
/// Whether exports to each endpoint are failing, told from each export's outcome: the first failure after a
/// success is reported, as is the first success after failures (with how many failed), and nothing in between, so a
/// collector down for an hour is two lines, not one per interval. Exports of different signals run on different
/// SDK threads, hence the lock; what is kept is one entry per endpoint failing now.
/// </summary>
internal sealed class ExportHealth(Action<OtlpExportChange> report, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTimeOffset Since, int Failed)> _failing = [];

    public void Failed(string endpoint, string error)
    {
        lock (_gate)
        {
            if (_failing.TryGetValue(endpoint, out var failing))
            {
                _failing[endpoint] = failing with { Failed = failing.Failed + 1 };
                return;
            }

            var now = time.GetUtcNow();
            _failing[endpoint] = (now, 1);
            report(new OtlpExportFailing(endpoint, error, now)); // under the lock: a recovery cannot be told before its failure
        }
    }

    public void Succeeded(string endpoint)
    {
        lock (_gate)
        {
            if (_failing.Remove(endpoint, out var failing))
            {
                var now = time.GetUtcNow();
                report(new OtlpExportRecovered(endpoint, failing.Failed, now - failing.Since, now));
            }
        }
    }
}
