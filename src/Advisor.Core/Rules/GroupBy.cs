namespace Advisor.Core.Rules;

/// <summary>What a rule counts together before testing its condition.</summary>
public enum GroupBy
{
    /// <summary>All the matching calls of the process.</summary>
    Process,

    /// <summary>Per thread.</summary>
    Thread,

    /// <summary>Per fd (a file, socket or pipe as it was when used).</summary>
    Fd,

    /// <summary>Per syscall name.</summary>
    Syscall,
}
