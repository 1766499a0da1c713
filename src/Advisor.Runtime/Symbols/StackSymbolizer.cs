using System.Globalization;
using Advisor.Core.Stacks;
using Advisor.Linux.Symbols;
using Advisor.Runtime.Symbols.Endpoints;
using Advisor.Runtime.Symbols.ReadyToRun;

namespace Advisor.Runtime.Symbols;

/// <summary>
/// Names frames: managed methods from the runtime's method map (JIT'd and ReadyToRun code alike), then
/// ReadyToRun code the map missed from the assembly images on disk, native ones from ELF symbols of the mapped
/// libraries; what none knows keeps its address. The application's methods that handle a web endpoint carry its route.
/// </summary>
/// <remarks>Used on the report thread once the recording has stopped; not thread-safe.</remarks>
public sealed class StackSymbolizer : IStackSymbolizer
{
    private readonly ManagedMethodMap _methods;
    private readonly MapsHistory _maps;
    private readonly ReadyToRunSymbolizer _precompiled = new();
    private readonly NativeSymbolizer _native = new();
    private readonly CodeOwners _owners = new();
    private readonly EndpointRoutes _routes = new();
    private readonly Dictionary<int, IReadOnlyList<MemoryMapping>> _mapsByPid = new();
    private readonly Dictionary<int, int> _addressSpaceOf = new();
    private readonly int _targetPid;

    /// <summary>Unnamed code of the .NET runtime itself (the VM and the JIT).</summary>
    public static readonly StackFrame RuntimeFrame = new("[runtime]", FrameKind.Native);

    private static readonly string[] RuntimeModules = ["libcoreclr.so", "libclrjit.so"];

    /// <param name="targetPid">The traced process: its children are named through it when nothing else is known of them.</param>
    public StackSymbolizer(ManagedMethodMap methods, MapsHistory maps, int targetPid)
    {
        _methods = methods;
        _maps = maps;
        _targetPid = targetPid;
    }

    /// <summary>
    /// Reads the processes' mappings again at the next frame named: a watch that never ends (monitor) names
    /// frames interval after interval, and a library loaded meanwhile (SQLite's, at the first query) would stay
    /// unknown to a list read once.
    /// </summary>
    public void RereadMappings()
    {
        _mapsByPid.Clear();
        _addressSpaceOf.Clear();
    }

    public CallStack Symbolize(int pid, ReadOnlySpan<ulong> frames)
    {
        pid = AddressSpaceOf(pid);
        var named = new List<StackFrame>(frames.Length);
        for (var i = 0; i < frames.Length; i++)
        {
            // Every frame but the innermost is a return address, the instruction after the call: the call
            // itself, one byte earlier, is what belongs to the caller (a call can end its method).
            var frame = Name(pid, i == 0 ? frames[i] : frames[i] - 1);

            // An on-stack-replaced loop runs in a second frame of the same method, over the first: one
            // method to the reader.
            if (named.Count == 0 || named[^1] != frame)
            {
                named.Add(frame);
            }
        }

        return new CallStack(ApiEntryFrames.Restore(named));
    }

    /// <summary>
    /// Whose address space names a process's frames. A child the target forked, such as Process.Start's,
    /// runs in a copy of the target's until it execs, and is gone by report time with nothing of its own
    /// captured: its calls before the exec (resetting signal handlers, the execve itself) are the target's
    /// frames. One that left maps or methods of its own is named by those.
    /// </summary>
    private int AddressSpaceOf(int pid)
    {
        if (pid == _targetPid || _methods.Knows(pid))
        {
            return pid;
        }

        if (!_addressSpaceOf.TryGetValue(pid, out var of))
        {
            _addressSpaceOf[pid] = of = MapsOf(pid).Count == 0 ? _targetPid : pid;
        }

        return of;
    }

    private IReadOnlyList<MemoryMapping> MapsOf(int pid)
    {
        if (!_mapsByPid.TryGetValue(pid, out var maps))
        {
            _mapsByPid[pid] = maps = _maps.For(pid);
        }

        return maps;
    }

    private static bool IsRuntimeModule(string module) => Array.IndexOf(RuntimeModules, module) >= 0;

    private StackFrame Name(int pid, ulong address)
    {
        if (_methods.TryFind(pid, address, out var method))
        {
            var module = _methods.ModulePathOf(pid, method);
            var kind = _owners.KindOf(module, method.IsFramework, method.Name);
            return new StackFrame(method.Name, kind)
            {
                Route = kind == FrameKind.User && method.Token != 0 && !string.IsNullOrEmpty(module) ? _routes.Of(module, method.Token) : null,
            };
        }

        // The rundown names precompiled code when the session ends; a process gone before it (a test host)
        // leaves that code to its image on disk.
        if (_precompiled.TryResolve(MapsOf(pid), address, out var precompiled, out var imagePath))
        {
            return new StackFrame(precompiled.Name, _owners.KindOf(imagePath, precompiled.IsFramework, precompiled.Name));
        }

        if (_native.TryResolve(MapsOf(pid), address, out var native))
        {
            // The runtime's internal functions have no symbols: eight libcoreclr.so+0x… lines say nothing a
            // reader can use, one [runtime] frame says where the call went (consecutive ones merge as one).
            return native.Symbol is null && IsRuntimeModule(native.Module)
                ? RuntimeFrame
                : new StackFrame(native.ToString(), FrameKind.Native);
        }

        return new StackFrame(string.Create(CultureInfo.InvariantCulture, $"0x{address:x}"), FrameKind.Unknown);
    }
}
