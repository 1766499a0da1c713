namespace Advisor.Core.Rules.Loading;

/// <summary>The YAML shape of a rule file, as deserialised before validation.</summary>
internal sealed class RuleFile
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Title { get; set; }
    public string? Severity { get; set; }
    public string? Category { get; set; }
    public string? Description { get; set; }
    public List<string>? Syscalls { get; set; }
    public List<string>? ExcludeSyscalls { get; set; }
    public string? GroupBy { get; set; }
    public Dictionary<string, string>? Thresholds { get; set; }
    public string? When { get; set; }
    public string? AvoidableCalls { get; set; }
    public string? AvoidableWaitMs { get; set; }
    public string? AvoidableWorkMs { get; set; }
    public string? Message { get; set; }
    public List<AdviceFile>? Advice { get; set; }
    public bool Fallback { get; set; }
    public string? CallSite { get; set; }
    public List<string>? ThreadRoles { get; set; }
    public string? Analyser { get; set; }
}

/// <summary>The YAML shape of one advice entry.</summary>
internal sealed class AdviceFile
{
    public string? Text { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    public AdviceMatchFile? Match { get; set; }
}

/// <summary>Selectors of an advice entry: regular expressions, and the kinds of fd it fits ("directory", "pipe|terminal").</summary>
internal sealed class AdviceMatchFile
{
    public string? Frame { get; set; }
    public string? Path { get; set; }
    public string? Syscall { get; set; }
    public string? Fd { get; set; }
}
