using System.Security.Cryptography;
using System.Text;
using Advisor.Core.Findings;

namespace Advisor.Core.Reporting;

/// <summary>
/// <c>--redact</c>: file paths, socket endpoints, HTTP request paths and the command line become stable hashes
/// (<c>/var/log/app.log</c> → <c>path#3f2a9c1b</c>), the same in every run and every file written, so
/// reports can be shared and still compared, budgets and baselines still match, and no name leaks.
/// </summary>
public static partial class Redaction
{
    private const string Arrow = " → ";

    /// <summary>
    /// The stable token for a path (<c>/redacted/3f2a9c1b</c>: still a path), an endpoint
    /// (<c>endpoint#…</c>), a socket description (<c>tcp endpoint#… → endpoint#…</c>: its shape kept, so a
    /// replayed recording still tells sockets, peers and files apart) or another name (<c>name#…</c>).
    /// </summary>
    public static string Token(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var arrow = text.IndexOf(Arrow, StringComparison.Ordinal);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (arrow > 0 && space > 0 && space < arrow)
        {
            return $"{text[..space]} {Token(text[(space + 1)..arrow])}{Arrow}{Token(text[(arrow + Arrow.Length)..])}";
        }

        if (text.StartsWith("unix ", StringComparison.Ordinal))
        {
            return $"unix {Token(text[5..])}";
        }

        return text.StartsWith('/') ? $"/redacted/{Hash(text)}" : Endpoint().IsMatch(text) ? $"endpoint#{Hash(text)}" : $"name#{Hash(text)}";
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 4);

    public static AdvisorReport Apply(AdvisorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        // Every description the report names, longest first, so a path is replaced before any prefix of it.
        var secrets = report.Findings.Select(f => f.Evidence.Path)
            .Concat(report.Threads.Select(t => t.BlockedOn))
            .OfType<string>()
            .SelectMany(Parts)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToList();

        string Scrub(string text)
        {
            foreach (var secret in secrets)
            {
                text = text.Replace(secret, Token(secret), StringComparison.Ordinal);
            }

            // Peers a message names without an fd of its own (connection churn's "to 10.0.0.9:5432").
            return AnyEndpoint().Replace(text, m => Token(m.Value));
        }

        return report with
        {
            Target = report.Target with { CommandLine = Token(report.Target.CommandLine) },
            Findings = report.Findings.Select(f => f with
            {
                Message = Scrub(f.Message),
                Evidence = f.Evidence with { Path = f.Evidence.Path is null ? null : Scrub(f.Evidence.Path) },
            }).ToList(),
            Threads = report.Threads.Select(t => t with { BlockedOn = t.BlockedOn is null ? null : Scrub(t.BlockedOn) }).ToList(),
            Hang = report.Hang is null ? null : report.Hang with
            {
                Summary = Scrub(report.Hang.Summary),
                // The next step may name the server a thread waits on and the client's end of the connection.
                NextStep = Scrub(report.Hang.NextStep),
                // A request's path carries its data (ids, names); the endpoint is the route's template, code.
                Requests = report.Hang.Requests is { } requests
                    ? requests with { Items = requests.Items.Select(r => r with { Path = r.Path is null ? null : Token(r.Path) }).ToList() }
                    : null,
            },
        };
    }

    /// <summary>
    /// The secret parts of a description: the whole of a path or endpoint, and for hang's "fd 23 /path
    /// (locked by pid 4 x)" the path inside it.
    /// </summary>
    private static IEnumerable<string> Parts(string description)
    {
        var text = description.StartsWith("fd ", StringComparison.Ordinal) && description.IndexOf(' ', 3) is var space and > 0
            ? description[(space + 1)..]
            : description;
        var locked = text.IndexOf(" (locked by", StringComparison.Ordinal);
        text = locked < 0 ? text : text[..locked];
        if (text.Length > 0 && !text.StartsWith('(') && !text.StartsWith("futex", StringComparison.Ordinal) && !text.StartsWith("pipe:", StringComparison.Ordinal) && !text.StartsWith("anon_inode", StringComparison.Ordinal))
        {
            yield return text;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):\d+$")]
    private static partial System.Text.RegularExpressions.Regex Endpoint();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w#])(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):\d+\b")]
    private static partial System.Text.RegularExpressions.Regex AnyEndpoint();
}
