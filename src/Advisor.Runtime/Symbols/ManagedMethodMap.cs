namespace Advisor.Runtime.Symbols;

/// <summary>
/// The code ranges of managed methods in each traced process, from method load events (JIT'd code, as it
/// is compiled) and rundown events (everything with code at the end, ReadyToRun methods included).
/// </summary>
/// <remarks>
/// Session threads add; the report thread looks up after the sessions stopped. A method re-JIT'd at a
/// higher tier gets a new range and keeps its old one: stacks sampled earlier still point there.
/// </remarks>
public sealed class ManagedMethodMap
{
    // A runaway target (dynamic methods in a loop) must not exhaust our memory.
    private const int MaxMethodsPerProcess = 1 << 20;

    private readonly Lock _lock = new();
    private readonly Dictionary<int, List<ManagedMethod>> _added = new();
    private readonly Dictionary<(int Pid, ulong ModuleId), string> _modules = new();
    private Dictionary<int, ManagedMethod[]>? _sorted;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _added.Values.Sum(l => l.Count);
            }
        }
    }

    public void Add(int pid, ulong start, uint size, string typeName, string methodName, ulong moduleId = 0, int token = 0)
    {
        if (start == 0 || size == 0)
        {
            return;
        }

        var method = new ManagedMethod(start, size, MethodNames.Display(typeName, methodName), MethodNames.IsFramework(typeName), moduleId, token);
        lock (_lock)
        {
            if (!_added.TryGetValue(pid, out var list))
            {
                _added[pid] = list = [];
            }

            if (list.Count < MaxMethodsPerProcess)
            {
                list.Add(method);
                _sorted = null;
            }
        }
    }

    /// <summary>A module was loaded (or named by the rundown) from this file; empty for dynamic modules.</summary>
    public void AddModule(int pid, ulong moduleId, string path)
    {
        lock (_lock)
        {
            if (_modules.Count < MaxMethodsPerProcess)
            {
                _modules[(pid, moduleId)] = path;
            }
        }
    }

    /// <summary>The file the method's module came from, or null when the runtime did not say.</summary>
    public string? ModulePathOf(int pid, in ManagedMethod method)
    {
        lock (_lock)
        {
            return method.ModuleId == 0 ? null : _modules.GetValueOrDefault((pid, method.ModuleId));
        }
    }

    public bool TryFind(int pid, ulong address, out ManagedMethod method)
    {
        var methods = Sorted(pid);
        var lo = 0;
        var hi = methods.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (methods[mid].Start <= address)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        // hi is the last range starting at or before the address; the same body can appear twice (load and
        // rundown), and equal starts are the same method, so one candidate is enough.
        if (hi >= 0 && methods[hi].Contains(address))
        {
            method = methods[hi];
            return true;
        }

        method = default;
        return false;
    }

    /// <summary>Whether any method of the process is known.</summary>
    public bool Knows(int pid) => Sorted(pid).Length > 0;

    private ManagedMethod[] Sorted(int pid)
    {
        lock (_lock)
        {
            _sorted ??= _added.ToDictionary(
                p => p.Key,
                p => p.Value.DistinctBy(m => m.Start).OrderBy(m => m.Start).ToArray());
            return _sorted.GetValueOrDefault(pid) ?? [];
        }
    }
}
