namespace Advisor.Cli.CommandLine;

/// <summary>The documented exit codes (README "Exit codes").</summary>
internal enum ReturnCode
{
    Ok = 0,
    GateFailed = 1,
    UsageError = 2,
    TargetProblem = 3,
    InsufficientPrivileges = 4,
    InternalError = 5,
}
