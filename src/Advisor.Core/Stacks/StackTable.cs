using System.Runtime.CompilerServices;

namespace Advisor.Core.Stacks;

/// <summary>
/// Interns call stacks: the same (process, instruction pointers) always gets the same id, so the hot path
/// counts small integers and each distinct stack is stored, and later symbolised, once.
/// </summary>
/// <remarks>
/// Open addressing over a power-of-two table of ids; frames live in one growing pool. Interning a stack seen
/// before hashes and compares it and allocates nothing. Bounded: past <see cref="MaxStacks"/> stacks or
/// <see cref="MaxPooledFrames"/> frames, new stacks get <see cref="Overflow"/> and are counted, not stored.
/// Not thread-safe: one writer (a source's drain thread); read only after the writer has stopped.
/// </remarks>
public sealed class StackTable
{
    /// <summary>No stack was recorded for the call.</summary>
    public const int None = 0;

    /// <summary>A stack that did not fit in the table.</summary>
    public const int Overflow = -1;

    public const int MaxStacks = 1 << 18;
    public const int MaxPooledFrames = 1 << 23;

    /// <summary>Frames past this depth (outermost ones) are dropped before interning.</summary>
    public const int MaxDepth = 128;

    private ulong[] _pool = new ulong[4096];
    private int _poolUsed;
    // Per id (index 0 is None): where its frames start in the pool, how many, whose, and its hash.
    private Entry[] _entries = new Entry[1024];
    private int[] _slots = new int[2048];
    private int _count;

    /// <summary>Distinct stacks stored (ids run from 1 to this).</summary>
    public int Count => _count;

    /// <summary>Calls whose stack did not fit (see <see cref="Overflow"/>).</summary>
    public long Overflowed { get; private set; }

    public int Intern(int pid, ReadOnlySpan<ulong> frames)
    {
        if (frames.IsEmpty)
        {
            return None;
        }

        if (frames.Length > MaxDepth)
        {
            frames = frames[..MaxDepth];
        }

        var hash = Hash(pid, frames);
        var mask = _slots.Length - 1;
        for (var slot = (int)hash & mask; ; slot = (slot + 1) & mask)
        {
            var id = _slots[slot];
            if (id == 0)
            {
                return Add(slot, pid, frames, hash);
            }

            ref readonly var e = ref _entries[id];
            if (e.Hash == hash && e.Pid == pid && _pool.AsSpan(e.Start, e.Length).SequenceEqual(frames))
            {
                return id;
            }
        }
    }

    /// <summary>
    /// Forgets every stack and gives its memory back; ids start again from 1. Only while nothing interns or reads:
    /// <c>monitor</c> between two recorded windows, its backend paused and drained and the window judged, so a watch
    /// that runs for days holds one window's stacks.
    /// </summary>
    public void Clear()
    {
        _pool = new ulong[4096];
        _poolUsed = 0;
        _entries = new Entry[1024];
        _slots = new int[2048];
        _count = 0;
    }

    public ReadOnlySpan<ulong> FramesOf(int id) =>
        id > 0 && id <= _count ? _pool.AsSpan(_entries[id].Start, _entries[id].Length) : [];

    public int PidOf(int id) => id > 0 && id <= _count ? _entries[id].Pid : 0;

    private int Add(int slot, int pid, ReadOnlySpan<ulong> frames, uint hash)
    {
        if (_count + 1 >= MaxStacks || _poolUsed + frames.Length > MaxPooledFrames)
        {
            Overflowed++;
            return Overflow;
        }

        if (_poolUsed + frames.Length > _pool.Length)
        {
            Array.Resize(ref _pool, Math.Max(_pool.Length * 2, _poolUsed + frames.Length));
        }

        frames.CopyTo(_pool.AsSpan(_poolUsed));
        var id = ++_count;
        if (id == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[id] = new Entry(_poolUsed, frames.Length, pid, hash);
        _poolUsed += frames.Length;
        _slots[slot] = id;

        // Kept at most half full so probe runs stay short.
        if (_count * 2 > _slots.Length)
        {
            Rehash();
        }

        return id;
    }

    private void Rehash()
    {
        var slots = new int[_slots.Length * 2];
        var mask = slots.Length - 1;
        for (var id = 1; id <= _count; id++)
        {
            var slot = (int)_entries[id].Hash & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = id;
        }

        _slots = slots;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(int pid, ReadOnlySpan<ulong> frames)
    {
        // A multiply-xorshift mix per frame: cheap, and return addresses differ in their low bits.
        var h = 0x9E3779B97F4A7C15UL ^ (ulong)(uint)pid;
        foreach (var ip in frames)
        {
            h = (h ^ ip) * 0xBF58476D1CE4E5B9UL;
            h ^= h >> 31;
        }

        return (uint)(h ^ (h >> 32));
    }

    private readonly record struct Entry(int Start, int Length, int Pid, uint Hash);
}
