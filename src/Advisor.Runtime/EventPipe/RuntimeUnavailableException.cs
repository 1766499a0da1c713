namespace Advisor.Runtime.EventPipe;

/// <summary>No runtime data for this target; the message says why, in words fit for the report's notes.</summary>
public sealed class RuntimeUnavailableException : Exception
{
    public RuntimeUnavailableException(string message)
        : base(message)
    {
    }

    public RuntimeUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public RuntimeUnavailableException()
    {
    }
}
