namespace Advisor.Cli;

/// <summary>The documented exit codes (DESIGN section 2; README "Exit codes").</summary>
internal enum ReturnCode
{
    Ok = 0,
    GateFailed = 1,
    UsageError = 2,
    TargetProblem = 3,
    InsufficientPrivileges = 4,
    InternalError = 5,
}
