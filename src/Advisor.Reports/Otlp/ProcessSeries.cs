namespace Advisor.Reports.Otlp;

/// <summary>
/// What the OTLP instruments report for one process, cumulative since the watch began. Kept until every
/// instrument has reported it once after the process exited, so its last interval is exported, then dropped.
/// </summary>
internal sealed class ProcessSeries(int pid, string process)
{
    public int Pid { get; } = pid;

    /// <summary>The name the series began with: a process that execs keeps it, as in Prometheus.</summary>
    public string Process { get; } = process;

    /// <summary>Syscalls with a series of their own (the first <see cref="ExportedSeries.TopSyscalls"/> seen).</summary>
    public HashSet<string> Named { get; } = [];

    public Dictionary<string, (long Count, double Seconds)> Syscalls { get; } = [];

    public Dictionary<(string RuleId, string Severity), long> Findings { get; } = [];

    public Dictionary<string, double> Saving { get; } = [];

    public long Lost { get; set; }

    public double RecorderCpuSeconds { get; set; }

    public Dictionary<(string Kind, string Trigger), long> Collections { get; } = [];

    /// <summary>After the process exited: the instruments that have yet to report its last values.</summary>
    public HashSet<OtlpInstrument>? Unreported { get; set; }

    /// <summary>The most attribute sets any one instrument reported for this process.</summary>
    public int AttributeSets => Math.Max(1, Math.Max(Syscalls.Count, Math.Max(Findings.Count, Collections.Count)));

    public KeyValuePair<string, object?>[] Tags(params ReadOnlySpan<(string Key, string Value)> more)
    {
        var tags = new KeyValuePair<string, object?>[2 + more.Length];
        tags[0] = new("pid", Pid);
        tags[1] = new("process", Process);
        for (var i = 0; i < more.Length; i++)
        {
            tags[2 + i] = new(more[i].Key, more[i].Value);
        }

        return tags;
    }
}

/// <summary>monitor's instruments, each reporting a process's last values once after it exited.</summary>
internal enum OtlpInstrument
{
    Syscalls,
    SyscallSeconds,
    Findings,
    Saving,
    Lost,
    RecorderCpu,
    Collections,
}
