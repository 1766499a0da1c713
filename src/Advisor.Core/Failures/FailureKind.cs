namespace Advisor.Core.Failures;

/// <summary>What kind of problem stopped the tool; the CLI maps each to its documented exit code.</summary>
public enum FailureKind
{
    /// <summary>Bad options, arguments, configuration or rule files (exit 2).</summary>
    Usage,

    /// <summary>The target cannot be profiled: not found, exited before attach, not traceable (exit 3).</summary>
    Target,

    /// <summary>The kernel refused: perf_event_paranoid, missing CAP_PERFMON / CAP_SYS_PTRACE (exit 4).</summary>
    Privilege,

    /// <summary>A fault of the tool itself (exit 5).</summary>
    Internal,
}
