using System.Text.RegularExpressions;
using Advisor.Core.Aggregation;
using Advisor.Core.Failures;
using Advisor.Core.Findings;
using Advisor.Core.Rules.Expressions;
using Advisor.Core.Rules.Metrics;
using Advisor.Core.Threads;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Advisor.Core.Rules.Loading;

/// <summary>
/// Reads and validates one YAML rule. Every problem becomes one line naming the file and, where YAML gives
/// it, the line — a rule author fixes it without reading our code.
/// </summary>
public static partial class RuleLoader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <summary>Every <c>*.yaml</c>/<c>*.yml</c> file of a directory (not its subdirectories), by file name.</summary>
    public static IReadOnlyList<RuleDefinition> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new AdvisorException(FailureKind.Usage, $"rules directory '{directory}' does not exist");
        }

        return Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f => Load(ReadRuleFile(f), f))
            .ToList();
    }

    public static RuleDefinition Load(string yaml, string source)
    {
        RuleFile file;
        try
        {
            file = Deserializer.Deserialize<RuleFile>(yaml) ?? throw Problem(source, "the file is empty");
        }
        catch (YamlException e)
        {
            throw Problem(source, $"line {e.Start.Line}: {Innermost(e).Message}");
        }

        return Validate(file, source);
    }

    private static RuleDefinition Validate(RuleFile file, string source)
    {
        var id = Required(file.Id, "id", source);
        if (!IdPattern().IsMatch(id))
        {
            throw Problem(source, $"id '{id}' must be letters then digits, e.g. ADV002 or TEAM001");
        }

        var name = Required(file.Name, "name", source);
        if (!SeverityNames.TryParse(Required(file.Severity, "severity", source), out var severity) || severity == Severity.None)
        {
            throw Problem(source, $"severity '{file.Severity}' must be error, warning or info");
        }

        var groupBy = (file.GroupBy ?? "syscall").ToLowerInvariant() switch
        {
            "process" => GroupBy.Process,
            "thread" => GroupBy.Thread,
            "fd" => GroupBy.Fd,
            "path" => GroupBy.Path,
            "syscall" => GroupBy.Syscall,
            "site" => GroupBy.Site,
            "locksite" => GroupBy.LockSite,
            "threadpool" => GroupBy.ThreadPool,
            "peer" => GroupBy.Peer,
            _ => throw Problem(source, $"groupBy '{file.GroupBy}' must be process, thread, fd, path, syscall, site, lockSite, threadPool or peer"),
        };

        var thresholds = Thresholds(file.Thresholds ?? [], source);
        var analyser = Analyser(file, thresholds, source);
        if (analyser is not null && file.When is null && (file.Message ?? file.AvoidableCalls ?? file.AvoidableWaitMs ?? file.AvoidableWorkMs) is not null)
        {
            throw Problem(source, "message and avoidableCalls go with a when: without one, the analyser writes the message");
        }

        var condition = analyser is not null && file.When is null ? null : Condition(file, thresholds, source);

        var advice = (file.Advice ?? []).Select(a => Advice(a, source)).ToList();
        if (advice.Count == 0)
        {
            throw Problem(source, "advice: a rule must say what to do (at least one entry with text)");
        }

        if (!advice.Any(a => a.IsGeneral))
        {
            // Every finding gets advice: what no selector picks, the general entries say.
            throw Problem(source, "advice: at least one entry must have no match: (the advice for findings no selector picks)");
        }

        return new RuleDefinition(
            id,
            name,
            Required(file.Title, "title", source),
            severity,
            file.Category ?? "general",
            file.Description?.Trim() ?? "",
            file.Syscalls ?? [],
            file.ExcludeSyscalls ?? [],
            groupBy,
            thresholds,
            condition,
            advice,
            file.Fallback,
            source)
        {
            ThresholdText = (file.Thresholds ?? []).ToDictionary(p => p.Key, p => p.Value.Trim(), StringComparer.Ordinal),
            CallSite = Pattern(file.CallSite, "callSite", source),
            ThreadRoles = (file.ThreadRoles ?? []).Select(r => Role(r, source)).ToList(),
            Analyser = analyser?.Name,
        };
    }

    /// <summary>
    /// The hang analyser the rule hands its triage verdict to, if any. The file gives what users read and tune
    /// (title, severity, advice, and every threshold the analyser reads); the analyser, what it found.
    /// </summary>
    private static AnalyserDescriptor? Analyser(RuleFile file, Dictionary<string, double> thresholds, string source)
    {
        if (file.Analyser is not { } name)
        {
            return null;
        }

        var analyser = AnalyserDescriptor.Find(name)
            ?? throw Problem(source, $"analyser '{name}' must be one of {string.Join(", ", AnalyserDescriptor.All.Select(a => a.Name))}");
        if (analyser.Thresholds.FirstOrDefault(t => !thresholds.ContainsKey(t.Name)) is { } missing)
        {
            throw Problem(source, $"thresholds: the {name} analyser reads '{missing.Name}' ({missing.Meaning}); give it a value");
        }

        return analyser;
    }

    /// <summary>when, avoidableCalls and message: required together unless a hang analyser decides the rule alone.</summary>
    private static RuleCondition Condition(RuleFile file, Dictionary<string, double> thresholds, string source)
    {
        var when = Expression(Required(file.When, "when", source), "when", thresholds, source, mustBeCondition: true);
        var avoidable = Expression(file.AvoidableCalls ?? "count", "avoidableCalls", thresholds, source, mustBeCondition: false);
        var waitMs = file.AvoidableWaitMs is { } w ? Expression(w, "avoidableWaitMs", thresholds, source, mustBeCondition: false) : null;
        var workMs = file.AvoidableWorkMs is { } k ? Expression(k, "avoidableWorkMs", thresholds, source, mustBeCondition: false) : null;
        try
        {
            return new RuleCondition(when, avoidable, MessageTemplate.Parse(Required(file.Message, "message", source)))
            {
                AvoidableWaitMs = waitMs,
                AvoidableWorkMs = workMs,
            };
        }
        catch (FormatException e)
        {
            throw Problem(source, $"message: {e.Message}");
        }
    }

    private static ThreadRole Role(string name, string source) =>
        ThreadRoles.TryParse(name, out var role)
            ? role
            : throw Problem(source, $"threadRoles: unknown role '{name}' (roles: {string.Join(", ", ThreadRoles.DisplayNames)})");

    private static RuleExpression Expression(
        string text, string field, IReadOnlyDictionary<string, double> thresholds, string source, bool mustBeCondition)
    {
        RuleExpression expression;
        try
        {
            expression = RuleExpression.Parse(text);
        }
        catch (RuleExpressionException e)
        {
            throw Problem(source, $"{field}: {e.Message}");
        }

        if (expression.IsCondition != mustBeCondition)
        {
            throw Problem(source, mustBeCondition
                ? $"{field}: '{text}' is a number, not a condition (compare it, e.g. count >= 1000)"
                : $"{field}: '{text}' is a condition, not a number");
        }

        foreach (var identifier in expression.Identifiers)
        {
            if (!Metric.ByName.ContainsKey(identifier) && !thresholds.ContainsKey(identifier))
            {
                throw Problem(source, $"{field}: unknown metric or threshold '{identifier}' (metrics: {string.Join(", ", Metric.All)})");
            }
        }

        return expression;
    }

    /// <summary>Thresholds are constants written in the expression language, so units work: 256KiB, 10ms.</summary>
    private static Dictionary<string, double> Thresholds(Dictionary<string, string> raw, string source)
    {
        var thresholds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, text) in raw)
        {
            if (Metric.ByName.ContainsKey(name))
            {
                throw Problem(source, $"threshold '{name}' has the name of a metric; give it another name");
            }

            if (ThresholdValue.TryParse(text, out var value) is { } error)
            {
                throw Problem(source, $"threshold '{name}': {error}");
            }

            thresholds[name] = value;
        }

        return thresholds;
    }

    private static AdviceEntry Advice(AdviceFile advice, string source)
    {
        var text = Required(advice.Text, "advice text", source).Trim();
        return new AdviceEntry(
            new Advice(text, advice.Before?.TrimEnd(), advice.After?.TrimEnd()),
            Pattern(advice.Match?.Frame, "advice match frame", source),
            Pattern(advice.Match?.Path, "advice match path", source))
        {
            Syscall = Pattern(advice.Match?.Syscall, "advice match syscall", source),
            Fds = FdKindList(advice.Match?.Fd, source),
        };
    }

    /// <summary>"directory" or "pipe|terminal": the kinds of fd an advice entry fits.</summary>
    private static HashSet<FdKind>? FdKindList(string? text, string source)
    {
        if (text is null)
        {
            return null;
        }

        var kinds = new HashSet<FdKind>();
        foreach (var name in text.Split('|', StringSplitOptions.TrimEntries))
        {
            if (!FdKinds.TryParse(name, out var kind))
            {
                throw Problem(source, $"advice match fd: unknown kind '{name}' (kinds: {string.Join(", ", FdKinds.Names)}; several: 'pipe|terminal')");
            }

            kinds.Add(kind);
        }

        return kinds;
    }

    private static Regex? Pattern(string? pattern, string field, string source)
    {
        if (pattern is null)
        {
            return null;
        }

        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            throw Problem(source, $"{field}: invalid regular expression '{pattern}': {e.Message}");
        }
    }

    private static string Required(string? value, string field, string source) =>
        string.IsNullOrWhiteSpace(value) ? throw Problem(source, $"'{field}' is required") : value;

    private static AdvisorException Problem(string source, string message) =>
        new(FailureKind.Usage, $"invalid rule {source}: {message}");

    private static string ReadRuleFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdvisorException(FailureKind.Usage, $"cannot read rule {path}: {e.Message}");
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    [GeneratedRegex("^[A-Za-z]+[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
