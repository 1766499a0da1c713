using Advisor.Core.Failures;

namespace Advisor.Cli.CommandLine;

/// <summary>What the exit codes mean, as help says it, and which one each kind of failure gets.</summary>
internal static class ExitCodes
{
    public const string Help =
        "Exit codes: 0 ok; 1 gate failed; 2 usage or configuration error; 3 target problem (not found, exited, " +
        "not traceable); 4 insufficient privileges; 5 internal error. In run, a non-zero exit code of the command " +
        "is returned when the gate passes.";

    public static ReturnCode Of(FailureKind kind) => kind switch
    {
        FailureKind.Usage => ReturnCode.UsageError,
        FailureKind.Target => ReturnCode.TargetProblem,
        FailureKind.Privilege => ReturnCode.InsufficientPrivileges,
        _ => ReturnCode.InternalError,
    };
}
