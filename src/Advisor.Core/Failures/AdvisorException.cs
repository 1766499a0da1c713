namespace Advisor.Core.Failures;

/// <summary>
/// An expected failure with a message a user can act on: one line naming the problem and, where there is
/// one, the remedy. The CLI prints the message alone (never a stack trace) and exits with the kind's code.
/// </summary>
public sealed class AdvisorException : Exception
{
    public AdvisorException(FailureKind kind, string message)
        : base(message) => Kind = kind;

    public AdvisorException(FailureKind kind, string message, Exception inner)
        : base(message, inner) => Kind = kind;

    public FailureKind Kind { get; }
}
