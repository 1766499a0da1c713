using System.Text;
using Advisor.Linux.Native;
using Advisor.Linux.Symbols;

namespace Advisor.Linux.Procfs;

/// <summary>
/// Reads the path an open call was given from the target's memory, for an fd closed before /proc could say
/// what it was (SQLite's journal lives a few milliseconds; the drain looks later than that). The call's
/// argument is only an address, read some milliseconds after the call: a path kept in the heap or in a
/// file's data (SQLite's pager keeps its journal's name for as long as the database is open) is still
/// there; one marshalled onto a thread's stack (.NET's File APIs, SQLite's directory syncs) may have been
/// overwritten by then, so a path read from a stack is taken only if it names a file or directory that
/// exists: a wrong name is worse than none.
/// </summary>
internal sealed unsafe class OpenPathReader
{
    private const int MaxPath = 4096;
    private const long MapsTtlMs = 100;

    private readonly Dictionary<int, (IReadOnlyList<MemoryMapping> Maps, long ReadAtMs)> _maps = new();
    private readonly byte[] _buffer = new byte[MaxPath];

    public string? Read(int pid, ulong address)
    {
        var memory = address == 0 ? Memory.Unmapped : Classify(pid, address);
        if (memory == Memory.Unmapped)
        {
            return null;
        }

        int read;
        fixed (byte* local = _buffer)
        {
            var localVec = new ProcessMemory.IoVec { Base = (nint)local, Length = MaxPath };
            // Up to the end of the page first: the next page may not be mapped, which fails the whole read.
            var toPageEnd = (nuint)(Environment.SystemPageSize - (int)(address % (ulong)Environment.SystemPageSize));
            var remoteVec = new ProcessMemory.IoVec { Base = (nint)address, Length = Math.Min(toPageEnd, MaxPath) };
            read = (int)ProcessMemory.Read(pid, &localVec, 1, &remoteVec, 1, 0);
            if (read == (int)remoteVec.Length && read < MaxPath && Array.IndexOf(_buffer, (byte)0, 0, read) < 0)
            {
                var rest = new ProcessMemory.IoVec { Base = (nint)(address + (ulong)read), Length = (nuint)(MaxPath - read) };
                var more = new ProcessMemory.IoVec { Base = (nint)(local + read), Length = rest.Length };
                var next = (int)ProcessMemory.Read(pid, &more, 1, &rest, 1, 0);
                read += Math.Max(0, next);
            }
        }

        var end = read <= 0 ? -1 : Array.IndexOf(_buffer, (byte)0, 0, read);
        var path = end <= 0 ? null : Plausible(_buffer.AsSpan(0, end));
        return memory == Memory.Stack && !Path.Exists(path) ? null : path;
    }

    private enum Memory
    {
        Unmapped,
        Durable,
        Stack,
    }

    /// <summary>An absolute path of printable UTF-8, or null: anything else was not (or is no longer) a path.</summary>
    private static string? Plausible(ReadOnlySpan<byte> bytes)
    {
        if (bytes[0] != (byte)'/' || bytes.IndexOfAnyInRange((byte)0, (byte)31) >= 0)
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether the address is in memory that outlives the call, or in a stack (the main one, or a thread's: an
    /// anonymous mapping whose lower neighbour is its PROT_NONE guard). When unsure, a stack.
    /// </summary>
    private Memory Classify(int pid, ulong address)
    {
        var maps = MapsOf(pid, address);
        var index = -1;
        for (var i = 0; i < maps.Count; i++)
        {
            if (maps[i].Contains(address))
            {
                index = i;
                break;
            }
        }

        if (index < 0 || !maps[index].Permissions.StartsWith('r'))
        {
            return Memory.Unmapped;
        }

        var guarded = index > 0 && maps[index - 1].End == maps[index].Start && maps[index - 1].Permissions.StartsWith("---", StringComparison.Ordinal);
        return maps[index].Path is "[stack]" || (maps[index].Path is null && guarded) ? Memory.Stack : Memory.Durable;
    }

    /// <summary>The process's mappings, read again when stale or when they do not cover the address (a new mapping).</summary>
    private IReadOnlyList<MemoryMapping> MapsOf(int pid, ulong address)
    {
        var now = Environment.TickCount64;
        if (!_maps.TryGetValue(pid, out var cached) || now - cached.ReadAtMs > MapsTtlMs || !cached.Maps.Any(m => m.Contains(address)))
        {
            if (_maps.Count > 256)
            {
                _maps.Clear();
            }

            cached = (ProcMaps.Read(pid), now);
            _maps[pid] = cached;
        }

        return cached.Maps;
    }
}
