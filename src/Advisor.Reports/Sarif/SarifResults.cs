using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Advisor.Core.Findings;

namespace Advisor.Reports.Sarif;

/// <summary>The run's results: one per finding, in report order.</summary>
internal static partial class SarifResults
{
    /// <summary>The partialFingerprints key: bump the version if what is hashed changes.</summary>
    public const string FingerprintKey = "advisorFingerprint/v1";

    // Linux hands out ephemeral ports from 32768 up (ip_local_port_range); five digits cannot be an IPv6 group.
    private const int FirstEphemeralPort = 32768;

    // The runtime's own frames (MethodNames.IsFramework's list), which no fix in the application can change.
    private static readonly string[] FrameworkPrefixes = ["System.", "Microsoft.", "Internal.", "Interop", "ILStubClass", "dynamicClass"];

    public static IReadOnlyList<SarifResult> For(IReadOnlyList<Finding> findings, IReadOnlyList<SarifRule> rules)
    {
        var indexes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < rules.Count; i++)
        {
            indexes[rules[i].Id] = i;
        }

        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        var results = new List<SarifResult>(findings.Count);
        foreach (var finding in findings)
        {
            var ruleIndex = indexes[finding.RuleId];
            var frame = ApplicationFrame(finding);
            var path = finding.Evidence.Path;

            // Two findings alike in rule, frame and path are told apart by their order, so neither hides the other.
            var identity = $"{rules[ruleIndex].Id}\n{frame}\n{StablePath(path)}";
            var occurrence = occurrences[identity] = occurrences.GetValueOrDefault(identity) + 1;
            var fingerprint = Hash(occurrence == 1 ? identity : string.Create(CultureInfo.InvariantCulture, $"{identity}\n{occurrence}"));

            results.Add(new SarifResult(
                rules[ruleIndex].Id,
                ruleIndex,
                SarifLevels.OfResult(finding.Severity),
                new SarifMessage(finding.Message),
                LocationsOf(frame, path),
                new Dictionary<string, string>(StringComparer.Ordinal) { [FingerprintKey] = fingerprint },
                new SarifResultProperties(
                    finding.EstimatedSavingMs,
                    finding.AvoidableCalls,
                    finding.SavingExplanation,
                    new SarifEvidence(finding.Evidence.Count, finding.Evidence.RatePerSecond, finding.Evidence.TotalTimeMs, path, finding.Evidence.Fd))));
        }

        return results;
    }

    /// <summary>
    /// The application method nearest the calls: in the finding's first (most frequent) stack, innermost
    /// first, the first frame that is neither the runtime's (System., Microsoft., …) nor native
    /// (<c>libc.so.6!write</c>, <c>libfoo.so+0x12</c>, <c>0x7f…</c>).
    /// </summary>
    internal static string? ApplicationFrame(Finding finding) =>
        finding.Stacks.Count == 0 ? null : finding.Stacks[0].Frames.FirstOrDefault(IsApplicationFrame);

    private static bool IsApplicationFrame(string frame) =>
        !string.IsNullOrWhiteSpace(frame)
        && !frame.StartsWith("0x", StringComparison.Ordinal)
        && !frame.Contains('!', StringComparison.Ordinal)
        && !frame.Contains(".so+", StringComparison.Ordinal)
        && !FrameworkPrefixes.Any(p => frame.StartsWith(p, StringComparison.Ordinal));

    /// <summary>
    /// The method if one is known, else the file, pipe or endpoint; no physical location, because a
    /// profile cannot say which source file and line of the target's build a frame was.
    /// </summary>
    private static List<SarifLocation>? LocationsOf(string? frame, string? path) =>
        frame is not null ? [new SarifLocation([new SarifLogicalLocation(frame, "function")])]
        : !string.IsNullOrEmpty(path) ? [new SarifLocation([new SarifLogicalLocation(path, "resource")])]
        : null;

    /// <summary>
    /// The path without what changes from run to run of the same program: inode numbers
    /// (<c>pipe:[81234]</c>), process ids (<c>/proc/4321/</c>) and ephemeral ports.
    /// </summary>
    internal static string StablePath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "";
        }

        var stable = InodePattern().Replace(path, "[]");
        stable = ProcPidPattern().Replace(stable, "/proc/*/");
        return PortPattern().Replace(stable, m =>
            int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture) >= FirstEphemeralPort ? ":*" : m.Value);
    }

    private static string Hash(string identity) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));

    [GeneratedRegex(@"\[\d+\]", RegexOptions.CultureInvariant)]
    private static partial Regex InodePattern();

    [GeneratedRegex(@"/proc/\d+/", RegexOptions.CultureInvariant)]
    private static partial Regex ProcPidPattern();

    [GeneratedRegex(@":(\d{5})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex PortPattern();
}
