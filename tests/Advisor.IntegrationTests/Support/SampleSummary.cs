using System.Globalization;
using System.Text.RegularExpressions;

namespace Advisor.IntegrationTests.Support;

/// <summary>The line every sample prints on stderr: what it did, exactly, to compare with what we saw.</summary>
internal sealed partial record SampleSummary(string Mode, long Records, long SyscallWrites, long SyscallSyncs, string Path, int Threads)
{
    public static SampleSummary Parse(string stderr)
    {
        var line = stderr.Split('\n').LastOrDefault(l => l.StartsWith("sample=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("no sample summary line in:\n" + stderr);
        var fields = Field().Matches(line).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        return new SampleSummary(
            fields["mode"],
            long.Parse(fields["records"], CultureInfo.InvariantCulture),
            long.Parse(fields["syscall_writes"], CultureInfo.InvariantCulture),
            long.Parse(fields["syscall_syncs"], CultureInfo.InvariantCulture),
            fields["path"],
            int.Parse(fields["threads"], CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"(\w+)=(\S+)")]
    private static partial Regex Field();
}
