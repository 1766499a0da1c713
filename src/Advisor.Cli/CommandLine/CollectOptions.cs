using System.CommandLine;
using Advisor.Core.Failures;
using Advisor.Core.Monitoring;
using Advisor.Core.Rules;

namespace Advisor.Cli.CommandLine;

/// <summary>monitor's triggers: what fires (<c>--collect-on</c>), what is saved, where, and how often at most.</summary>
internal sealed class CollectOptions
{
    public const string Hang = "hang";
    private static readonly TimeSpan DefaultCooldown = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(5);
    private const int DefaultLimit = 10;

    public Option<string?> On { get; } = new("--collect-on")
    {
        Description = "Save evidence when one of these fires: rule ids (ADV002,ADV016) raised, and/or 'hang' (threads stuck in endless waits, confirmed by a hang triage).",
    };

    public Option<string?> What { get; } = new("--collect")
    {
        Description = "What to save: 'recording' (a .advisor recording of the next --collect-duration) or 'hang' (the hang triage as JSON and Markdown). Default: hang when --collect-on is only 'hang', else recording; a 'hang' trigger always saves a triage.",
    };

    public Option<string?> Directory { get; } = new("--collect-dir")
    {
        Description = "Where to save it (default: the current directory; created if missing, must be writable).",
    };

    public Option<int?> Limit { get; } = new("--collect-limit")
    {
        Description = $"At most this many collections in the whole run (default {DefaultLimit}).",
        CustomParser = r => WholeNumber.Parse(r, "use 1 to 1000 collections"),
    };

    public Option<string?> Cooldown { get; } = new("--collect-cooldown")
    {
        Description = "At most one collection per process this often (default 10m; 10s to 24h).",
    };

    public Option<string?> Duration { get; } = new("--collect-duration")
    {
        Description = "How long a recording lasts (default 5s; 1s to 5m).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(On);
        command.Options.Add(What);
        command.Options.Add(Directory);
        command.Options.Add(Limit);
        command.Options.Add(Cooldown);
        command.Options.Add(Duration);
    }

    /// <summary>The triggers as given, or null without --collect-on; validated against the rules once they are loaded.</summary>
    /// <exception cref="AdvisorException">An option out of range, or given without --collect-on (exit 2).</exception>
    public CollectChoice? Bind(ParseResult result)
    {
        var on = result.GetValue(On);
        if (on is null)
        {
            foreach (var option in new Option[] { What, Directory, Limit, Cooldown, Duration })
            {
                if (result.GetResult(option) is { Implicit: false })
                {
                    throw new AdvisorException(FailureKind.Usage, $"{option.Name} needs --collect-on (the rules, or hang, that trigger a collection)");
                }
            }

            return null;
        }

        var triggers = on.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (triggers.Length == 0)
        {
            throw new AdvisorException(FailureKind.Usage, "--collect-on '' names nothing: give rule ids and/or hang, such as ADV016,hang");
        }

        var onlyHang = triggers.All(t => string.Equals(t, Hang, StringComparison.OrdinalIgnoreCase));
        var kind = result.GetValue(What) switch
        {
            null => onlyHang ? CollectionKind.Hang : CollectionKind.Recording,
            "recording" => CollectionKind.Recording,
            "hang" => CollectionKind.Hang,
            var other => throw new AdvisorException(FailureKind.Usage, $"--collect '{other}' is not a choice: use recording or hang"),
        };
        var limit = result.GetValue(Limit) ?? DefaultLimit;
        if (limit is < 1 or > 1000)
        {
            throw new AdvisorException(FailureKind.Usage, $"--collect-limit {limit} is out of range: use 1 to 1000 collections");
        }

        return new CollectChoice(
            triggers,
            kind,
            result.GetValue(Directory) ?? ".",
            limit,
            DurationParser.Within(result.GetValue(Cooldown), "--collect-cooldown", DefaultCooldown, TimeSpan.FromSeconds(10), TimeSpan.FromHours(24), "from 10s to 24h, such as 10m or 1h"),
            DurationParser.Within(result.GetValue(Duration), "--collect-duration", DefaultDuration, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), "from 1s to 5m, such as 5s or 30s"));
    }
}

/// <summary>What monitor collects, when and where.</summary>
/// <param name="Triggers">Rule ids and/or <c>hang</c>, as given.</param>
/// <param name="Kind">What a rule raised saves; a hang always saves a triage.</param>
/// <param name="Duration">How long a recording lasts.</param>
internal sealed record CollectChoice(IReadOnlyList<string> Triggers, CollectionKind Kind, string Directory, int Limit, TimeSpan Cooldown, TimeSpan Duration)
{
    public bool OnHang => Triggers.Any(t => string.Equals(t, CollectOptions.Hang, StringComparison.OrdinalIgnoreCase));

    /// <summary>The rule ids among the triggers, as the catalog spells them.</summary>
    /// <exception cref="AdvisorException">One is not a rule in force (exit 2).</exception>
    public IReadOnlySet<string> Rules(RuleCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Triggers.Where(t => !string.Equals(t, CollectOptions.Hang, StringComparison.OrdinalIgnoreCase))
            .Select(t => catalog.Find(t)?.Id
                ?? throw new AdvisorException(FailureKind.Usage, $"--collect-on '{t}' is neither a rule id (see dotnet-advisor rules) nor hang"))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Creates the directory if missing and proves it writable by creating and deleting a file: a watch of hours
    /// must not find out at its first trigger that its evidence has nowhere to go.
    /// </summary>
    /// <returns>The directory's full path.</returns>
    /// <exception cref="AdvisorException">It cannot be created or written (exit 2).</exception>
    public string PrepareDirectory()
    {
        try
        {
            var full = System.IO.Directory.CreateDirectory(Directory).FullName;
            var probe = Path.Combine(full, $".advisor-probe-{Environment.ProcessId}");
            using (new FileStream(probe, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
            }

            File.Delete(probe);
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdvisorException(FailureKind.Usage, $"--collect-dir '{Directory}' is not a directory this user can write: {e.Message}");
        }
    }
}
