using System.Text.RegularExpressions;
using Advisor.Core.Events;
using Advisor.Core.Reporting;
using Advisor.Core.Syscalls;

namespace Advisor.Linux.Strace;

/// <summary>
/// The second pass over an strace log: each call becomes the <see cref="SyscallEvent"/> a live backend would
/// have delivered, with the fd table kept current around it; thread names and the target's identity are
/// gathered from the calls that reveal them.
/// </summary>
internal sealed partial class StraceReplay
{
    // Enough for every fd, size and flag argument the analysis reads (connect's address is the second).
    private const int ArgumentsUsed = 4;
    private const int CommLength = 15;

    private readonly StraceLogSurvey _survey;
    private readonly SyscallCatalog _catalog;
    private readonly StraceFdEffects _effects;
    private readonly Dictionary<(int Pid, int Fd), int> _commFds = new();
    private readonly Dictionary<string, long> _unknown = new(StringComparer.Ordinal);
    private string? _name;
    private string? _commandLine;
    private string? _runtimeVersion;
    private bool _dotNet;

    public StraceReplay(StraceLogSurvey survey, SyscallCatalog catalog)
    {
        _survey = survey;
        _catalog = catalog;
        _effects = new StraceFdEffects(Fds);
    }

    /// <summary>Answers the aggregation's questions about fds as of the call being replayed.</summary>
    public StraceFdTable Fds { get; } = new();

    /// <summary>Calls of syscalls this tool has no number for (strace's "syscall_0x1b6"), by name.</summary>
    public IReadOnlyDictionary<string, long> Unknown => _unknown;

    public TargetInfo Target => new(
        _survey.FirstProcess, _name ?? $"process {_survey.FirstProcess}", _commandLine ?? "", _runtimeVersion, _dotNet);

    public void Run(string path, ISyscallSink sink)
    {
        foreach (var call in new StraceLogReader(path).Calls())
        {
            Feed(call, sink);
        }
    }

    private void Feed(StraceCall call, ISyscallSink sink)
    {
        if (!_catalog.Table.TryGetNumber(call.Name, out var number))
        {
            _unknown[call.Name] = _unknown.GetValueOrDefault(call.Name) + 1;
            return;
        }

        if (!StraceResult.TryParse(call.Result, _catalog.Errnos, out var ret))
        {
            return; // never returned: exit, exit_group, or a thread killed inside the call
        }

        var pid = _survey.ProcessOf(call.Tid);
        var args = StraceArguments.Split(call.Arguments, ArgumentsUsed);
        _effects.Before(call.Name, pid, args, (_catalog.TraitsOf(number) & SyscallTraits.FdArg0) != 0);
        sink.OnSyscall(new SyscallEvent(
            pid, call.Tid, number, call.StartNs, Math.Max(0, call.DurationNs), ret, Arg(args, 0), Arg(args, 1), Arg(args, 2)));
        _effects.After(call.Name, pid, args, ret, call.Result);
        Learn(call, pid, args, ret, sink);
    }

    /// <summary>Thread names, the command and whether it runs .NET, from the calls that show them.</summary>
    private void Learn(StraceCall call, int pid, List<string> args, long ret, ISyscallSink sink)
    {
        switch (call.Name)
        {
            case "prctl" when ret == 0 && args.Count > 1 && args[0] == "PR_SET_NAME" && StraceArguments.String(args[1]) is { } name:
                sink.OnThreadName(pid, call.Tid, name);
                break;
            case "openat" or "open" when ret >= 0 && args.Count > 1 && StraceArguments.String(args[call.Name == "open" ? 0 : 1]) is { } path:
                if (CommPath().Match(path) is { Success: true } comm)
                {
                    // How .NET names its threads: pthread_setname_np writes the name into the thread's comm file.
                    var owner = comm.Groups["task"].Success ? int.Parse(comm.Groups["task"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture)
                        : comm.Groups["who"].Value == "thread-self" ? call.Tid : pid;
                    _commFds[(pid, (int)ret)] = owner;
                }
                else if (path.EndsWith("/libcoreclr.so", StringComparison.Ordinal) && pid == _survey.FirstProcess)
                {
                    _dotNet = true;
                    var version = Path.GetFileName(Path.GetDirectoryName(path));
                    _runtimeVersion = version is { Length: > 0 } && char.IsAsciiDigit(version[0]) ? version : _runtimeVersion;
                }

                break;
            case "write" or "pwrite64" when args.Count > 1 && StraceArguments.Number(args[0]) is var fd && fd <= int.MaxValue
                && _commFds.TryGetValue((pid, (int)fd), out var thread) && StraceArguments.String(args[1]) is { } written:
                sink.OnThreadName(pid, thread, written.TrimEnd('\n'));
                break;
            case "close" when args.Count > 0 && StraceArguments.Number(args[0]) is var closed && closed <= int.MaxValue:
                _commFds.Remove((pid, (int)closed));
                break;
            case "execve" when ret == 0 && pid == _survey.FirstProcess && args.Count > 1 && StraceArguments.String(args[0]) is { } program:
                var file = Path.GetFileName(program);
                _name = file;
                // strace shortens long strings to 32 bytes ("…"...): the command line says where it did.
                var argv = StraceArguments.Split(args[1].Trim('[', ']'), 64)
                    .Select(a => StraceArguments.String(a) is { } text ? (a.EndsWith("\"...", StringComparison.Ordinal) ? text + "…" : text) : a)
                    .ToList();
                _commandLine = argv.Count > 0 ? string.Join(' ', argv) : program;
                sink.OnThreadName(pid, pid, file.Length > CommLength ? file[..CommLength] : file);
                break;
        }
    }

    private static ulong Arg(List<string> args, int index) => index < args.Count ? StraceArguments.Number(args[index]) : 0;

    [GeneratedRegex(@"^/proc/(?<who>self|thread-self|\d+)(/task/(?<task>\d+))?/comm$")]
    private static partial Regex CommPath();
}
