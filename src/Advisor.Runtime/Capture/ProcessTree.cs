using Advisor.Core.Processes;
using Advisor.Linux.Procfs;
using Advisor.Runtime.Discovery;
using Advisor.Runtime.EventPipe;
using Advisor.Runtime.Symbols;

namespace Advisor.Runtime.Capture;

/// <summary>
/// The processes of a recording beside its target: the children it starts and the programs they exec
/// (<c>dotnet test</c> starts MSBuild, vstest.console and a testhost; <c>dotnet run</c> starts the app). Each is
/// looked at while it runs — who it is, its mappings (to name native frames after it exits) — and each .NET one
/// gets runtime sessions of its own, so its frames are named and its runtime events counted.
/// </summary>
/// <remarks>Polled from the capture's recording loop, on its one thread.</remarks>
public sealed class ProcessTree
{
    // A runtime's diagnostic server starts early in its start-up, but not at once: a new .NET process is asked
    // again on later polls for about this many of them.
    private const int AttachAttempts = 200;

    // Bounded for targets that start processes without end (a spawn storm is a finding, not a tree to follow).
    private const int MaxProcesses = 512;

    private readonly int _target;
    private readonly RuntimeSessions _runtime;
    private readonly MapsHistory _maps;
    private readonly Dictionary<int, Seen> _seen = new();
    private readonly Dictionary<int, int> _pendingAttach = new();
    private int _polls;

    /// <param name="target">The target itself: its runtime is the recorder's own business (attached or launched).</param>
    public ProcessTree(int target, RuntimeSessions runtime, MapsHistory maps)
    {
        _target = target;
        _runtime = runtime;
        _maps = maps;
    }

    /// <summary>A process made its first call, or exec'd: look at it now, while it surely exists.</summary>
    public void Saw(int pid)
    {
        if (_seen.Count >= MaxProcesses && !_seen.ContainsKey(pid))
        {
            return;
        }

        var identity = ProcessIdentity.Read(pid);
        if (identity is null)
        {
            return; // gone already: the kernel's name for it is all the report will have
        }

        _maps.Capture(pid);
        var version = RuntimeProbe.RuntimeVersion(pid);
        _seen[pid] = new Seen(identity, version ?? _seen.GetValueOrDefault(pid)?.RuntimeVersion);
        if (pid != _target && !_pendingAttach.ContainsKey(pid))
        {
            // Runtime or not, an exec'd process may load it in a moment: `dotnet` maps libcoreclr after the host starts.
            _pendingAttach[pid] = AttachAttempts;
        }
    }

    /// <summary>Follows the runtimes that have come up, and keeps the live processes' mappings current (libraries load late).</summary>
    public void Poll()
    {
        foreach (var (pid, left) in _pendingAttach.ToList())
        {
            if (!ProcTasks.ProcessExists(pid) || left <= 0)
            {
                _pendingAttach.Remove(pid);
                continue;
            }

            var version = RuntimeProbe.RuntimeVersion(pid);
            if (version is null)
            {
                _pendingAttach[pid] = left - 1;
                continue;
            }

            _seen[pid] = _seen.TryGetValue(pid, out var seen)
                ? seen with { Identity = ProcessIdentity.Read(pid) ?? seen.Identity, RuntimeVersion = version }
                : new Seen(ProcessIdentity.Read(pid) ?? new ProcessIdentity(pid, "dotnet", ""), version);
            if (_runtime.Follow(pid))
            {
                _pendingAttach.Remove(pid);
            }
            else
            {
                _pendingAttach[pid] = left - 1;
            }
        }

        if (++_polls % 10 == 0)
        {
            foreach (var pid in _seen.Keys.Where(ProcTasks.ProcessExists))
            {
                _maps.Capture(pid);
            }
        }
    }

    /// <summary>Every process seen, as the report names it.</summary>
    public IReadOnlyDictionary<int, TracedProcess> Describe() => _seen.ToDictionary(
        p => p.Key,
        p => new TracedProcess(
            p.Key,
            ToolingNames.DisplayName(p.Value.Identity.Name, p.Value.Identity.CommandLine),
            p.Value.Identity.CommandLine,
            p.Value.RuntimeVersion,
            ToolingNames.OfProcess(p.Value.Identity.CommandLine)));

    private sealed record Seen(ProcessIdentity Identity, string? RuntimeVersion);
}
