using System.CommandLine;
using Advisor.Core.Failures;
using Advisor.Runtime.Discovery;

namespace Advisor.Cli.CommandLine;

/// <summary>`-p PID | -n NAME`: the running process a command works on (profile, hang), as dotnet-trace takes it.</summary>
internal sealed class TargetOptions
{
    private readonly string _verb;
    private readonly string _choices;

    /// <param name="choices">How the error line names what the command takes, when none is given.</param>
    public TargetOptions(string verb, string what, string choices = "-p PID or -n NAME")
    {
        _verb = verb;
        _choices = choices;
        ProcessId = new Option<int?>("--process-id", "-p")
        {
            Description = $"The process to {what}.",
            CustomParser = result => WholeNumber.Parse(result, "give a process id as dotnet-advisor ps lists them, or -n NAME"),
        };
        Name = new Option<string?>("--name", "-n") { Description = $"The .NET process to {what}, by name (see ps)." };
    }

    public Option<int?> ProcessId { get; }

    public Option<string?> Name { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(ProcessId);
        command.Options.Add(Name);
    }

    /// <summary>The pid given, or the one .NET process with the name given.</summary>
    public int Resolve(ParseResult result) => (result.GetValue(ProcessId), result.GetValue(Name)) switch
    {
        ({ } p, null) => p,
        (null, { } n) => DotNetProcesses.ResolveName(n),
        (null, null) => throw new AdvisorException(FailureKind.Usage, $"{_verb} needs {_choices}"),
        _ => throw new AdvisorException(FailureKind.Usage, "give either -p or -n, not both"),
    };
}
