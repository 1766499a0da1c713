using System.Globalization;
using System.Text.RegularExpressions;

namespace Advisor.IntegrationTests.Support;

/// <summary>The line every sample prints on stderr: what it did, exactly, to compare with what we saw.</summary>
internal sealed partial record SampleSummary(string Mode, long Records, long SyscallWrites, long SyscallSyncs, string Path, int Threads)
{
    /// <summary>Every key=value pair of the line, for the fields only some samples report (datagrams_sent, events).</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    /// <summary>A numeric field of the line; fails when the sample did not report it.</summary>
    public long Number(string name) =>
        Fields.TryGetValue(name, out var text)
            ? long.Parse(text, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"no {name}= in the sample's summary line");

    public static SampleSummary Parse(string stderr)
    {
        var line = stderr.Split('\n').LastOrDefault(l => l.StartsWith("sample=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("no sample summary line in:\n" + stderr);
        var fields = Field().Matches(line).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        // The I/O samples report all fields; others (LockContention) only those that apply to them.
        long Number(string name) => fields.TryGetValue(name, out var text) ? long.Parse(text, CultureInfo.InvariantCulture) : 0;
        return new SampleSummary(
            fields["mode"],
            Number("records"),
            Number("syscall_writes"),
            Number("syscall_syncs"),
            fields.GetValueOrDefault("path", string.Empty),
            fields.TryGetValue("threads", out var threads) ? int.Parse(threads, CultureInfo.InvariantCulture) : 1)
        {
            Fields = fields,
        };
    }

    [GeneratedRegex(@"(\w+)=(\S+)")]
    private static partial Regex Field();
}
