using Advisor.Core.Targets;

namespace Advisor.Core.Recording;

/// <summary>
/// Asks the live target and writes down every answer in order, so a replay of the same events gets the
/// same answers — /proc's view of an fd when the drain got to it — and reaches the same findings.
/// </summary>
public sealed class RecordingIntrospector(ITargetIntrospector live) : ITargetIntrospector
{
    private readonly List<IntrospectionAnswer> _answers = [];

    public IReadOnlyList<IntrospectionAnswer> Answers => _answers;

    public string? DescribeFd(int pid, int fd) => Described(pid, fd, live.DescribeFd(pid, fd));

    /// <summary>Written down as a description: a replay asks <see cref="DescribeFd"/>'s question in the same turn.</summary>
    public string? DescribeFdOpenAtStart(int pid, int fd) => Described(pid, fd, live.DescribeFdOpenAtStart(pid, fd));

    private string? Described(int pid, int fd, string? answer)
    {
        _answers.Add(new IntrospectionAnswer(IntrospectionQuestion.DescribeFd, pid, fd, answer, null));
        return answer;
    }

    /// <summary>Kept on the description just recorded for the fd, which it is asked right after.</summary>
    public bool IsObserverFd(int pid, int fd, ulong connectedTo)
    {
        var observer = live.IsObserverFd(pid, fd, connectedTo);
        if (observer && _answers.Count > 0 && _answers[^1] is { Kind: IntrospectionQuestion.DescribeFd } described
            && described.Pid == pid && described.Key == fd)
        {
            _answers[^1] = described with { Observer = true };
        }

        return observer;
    }

    public int? FdOpenFlags(int pid, int fd)
    {
        var answer = live.FdOpenFlags(pid, fd);
        _answers.Add(new IntrospectionAnswer(IntrospectionQuestion.FdOpenFlags, pid, fd, null, answer));
        return answer;
    }

    public string? ThreadName(int pid, int tid)
    {
        var answer = live.ThreadName(pid, tid);
        _answers.Add(new IntrospectionAnswer(IntrospectionQuestion.ThreadName, pid, tid, answer, null));
        return answer;
    }

    public string? PathGivenToOpen(int pid, int fd, ulong address, string? captured)
    {
        var answer = live.PathGivenToOpen(pid, fd, address, captured);
        _answers.Add(new IntrospectionAnswer(IntrospectionQuestion.PathGivenToOpen, pid, fd, answer, null));
        return answer;
    }

    public string? LockHolder(int pid, int fd) => live.LockHolder(pid, fd);
}
