using Advisor.Core.Events;

namespace Advisor.UnitTests.Perf;

/// <summary>An <see cref="ISyscallSink"/> that keeps everything it is given, in order.</summary>
internal sealed class RecordingSink : ISyscallSink
{
    public List<SyscallEvent> Events { get; } = [];

    public List<long> Lost { get; } = [];

    public void OnSyscall(in SyscallEvent e) => Events.Add(e);

    public void OnLost(long count) => Lost.Add(count);

    public List<(int Pid, int Tid, string Name)> Names { get; } = [];

    public void OnThreadName(int pid, int tid, string name) => Names.Add((pid, tid, name));

    public List<(int Pid, int Tid, string Path)> OpenPaths { get; } = [];

    public void OnOpenPath(int pid, int tid, string path) => OpenPaths.Add((pid, tid, path));
}
