using Advisor.Core.Targets;

namespace Advisor.Core.Recording;

/// <summary>
/// Answers a replay's questions with the recorded answers: in the order they were asked (the aggregation is
/// deterministic, so it asks again in that order), or, if a question comes out of turn, the last answer
/// recorded for that fd or thread.
/// </summary>
public sealed class ReplayIntrospector : ITargetIntrospector
{
    private readonly Dictionary<IntrospectionQuestion, Queue<IntrospectionAnswer>> _inOrder;
    private readonly Dictionary<(IntrospectionQuestion Kind, int Pid, int Key), IntrospectionAnswer> _last = new();
    private IntrospectionAnswer? _lastDescription;

    public ReplayIntrospector(IEnumerable<IntrospectionAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var list = answers.ToList();
        _inOrder = list.GroupBy(a => a.Kind).ToDictionary(g => g.Key, g => new Queue<IntrospectionAnswer>(g));
        foreach (var answer in list)
        {
            _last[(answer.Kind, answer.Pid, answer.Key)] = answer;
        }
    }

    public string? DescribeFd(int pid, int fd)
    {
        _lastDescription = Next(IntrospectionQuestion.DescribeFd, pid, fd);
        return _lastDescription?.Text;
    }

    /// <summary>As the description given for the fd just before said (recordings keep it there).</summary>
    public bool IsObserverFd(int pid, int fd, ulong connectedTo) => _lastDescription is { Observer: true } d && d.Pid == pid && d.Key == fd;

    public int? FdOpenFlags(int pid, int fd) => Next(IntrospectionQuestion.FdOpenFlags, pid, fd)?.Number;

    public string? ThreadName(int pid, int tid) => Next(IntrospectionQuestion.ThreadName, pid, tid)?.Text;

    public string? PathGivenToOpen(int pid, int fd, ulong address, string? captured) => Next(IntrospectionQuestion.PathGivenToOpen, pid, fd)?.Text;

    private IntrospectionAnswer? Next(IntrospectionQuestion kind, int pid, int key)
    {
        if (_inOrder.TryGetValue(kind, out var queue) && queue.TryPeek(out var head) && head.Pid == pid && head.Key == key)
        {
            return queue.Dequeue();
        }

        return _last.GetValueOrDefault((kind, pid, key));
    }
}
