using Advisor.Core.Reporting;
using Advisor.Linux.Procfs;
using Advisor.Runtime.Discovery;
using Advisor.Runtime.Symbols;

namespace Advisor.Runtime.Capture;

/// <summary>
/// Learns who the target is while it runs: a launched command has its final name only after exec, and
/// loads the .NET runtime only later still; a short-lived one may be gone by the time we report.
/// </summary>
internal sealed class TargetWatcher
{
    private readonly int _pid;
    private readonly string _fallbackName;
    private readonly string _fallbackCommandLine;
    private readonly Func<bool> _ready;
    private readonly MapsHistory _maps;
    private ProcessIdentity? _identity;
    private string? _runtimeVersion;

    /// <param name="ready">False while the process is not yet the target: a launched command is our own
    /// trampoline (itself a .NET process) until its execve.</param>
    /// <param name="maps">Where the target's mappings are kept while it runs, for naming native frames later.</param>
    public TargetWatcher(int pid, string fallbackName, string fallbackCommandLine, Func<bool> ready, MapsHistory maps)
    {
        _pid = pid;
        _fallbackName = fallbackName;
        _fallbackCommandLine = fallbackCommandLine;
        _ready = ready;
        _maps = maps;
        Poll();
    }

    /// <summary>Reads /proc again; cheap enough for every progress tick.</summary>
    public void Poll()
    {
        if (!_ready())
        {
            return;
        }

        // Libraries load late (libSystem.Native on first I/O) and a launched command may be gone at the end.
        _maps.Capture(_pid);
        if (_runtimeVersion is null)
        {
            _identity = ProcessIdentity.Read(_pid) ?? _identity;
            _runtimeVersion = RuntimeProbe.RuntimeVersion(_pid);
            var environment = ProcessEnvironment.Read(_pid);
            StartEnvironment = environment.Count > 0 ? environment : StartEnvironment;
        }
    }

    /// <summary>Whether the target has been seen as the .NET process it is; until then it is worth looking often.</summary>
    public bool Identified => _runtimeVersion is not null;

    /// <summary>The environment the target started with, once seen (it explains a runtime that never connected).</summary>
    public IReadOnlyDictionary<string, string>? StartEnvironment { get; private set; }

    public TargetInfo Describe(int? exitCode) => new(
        _pid,
        _identity?.Name ?? _fallbackName,
        _identity?.CommandLine ?? _fallbackCommandLine,
        _runtimeVersion,
        _runtimeVersion is not null,
        exitCode);
}
