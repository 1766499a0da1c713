using System.Buffers.Binary;
using Advisor.Core.Events;

namespace Advisor.Core.Recording;

/// <summary>
/// Passes every event on to the aggregation and appends it, raw, to a spill file: the recording keeps the
/// events without holding them in memory, and compression waits until the recording has stopped, off the
/// drain thread that must keep up with the kernel.
/// </summary>
public sealed class RecordingTee : ISyscallSink, IDisposable
{
    public const int RecordSize = 64;

    private readonly ISyscallSink _next;
    private readonly FileStream _spill;
    private readonly BufferedStream _buffer;
    private readonly byte[] _record = new byte[RecordSize];

    /// <param name="spillPath">A new file (0600) for the raw events; deleted when this is disposed.</param>
    public RecordingTee(ISyscallSink next, string spillPath)
    {
        _next = next;
        SpillPath = spillPath;
        _spill = new FileStream(spillPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            Options = FileOptions.DeleteOnClose,
        });
        _buffer = new BufferedStream(_spill, 1 << 20);
    }

    public string SpillPath { get; }

    public long Events { get; private set; }

    public void OnSyscall(in SyscallEvent e)
    {
        Encode(e, _record);
        _buffer.Write(_record);
        Events++;
        _next.OnSyscall(e);
    }

    public void OnLost(long count) => _next.OnLost(count);

    public void OnThreadName(int pid, int tid, string name) => _next.OnThreadName(pid, tid, name);

    // Not recorded as an event: what it names is recorded as the introspection answer it becomes.
    public void OnOpenPath(int pid, int tid, string path) => _next.OnOpenPath(pid, tid, path);

    /// <summary>The raw events written so far, from the start (call once the source has stopped).</summary>
    public Stream OpenEvents()
    {
        _buffer.Flush();
        _spill.Position = 0;
        return _spill;
    }

    /// <summary>Delivers the spilled events again, in order, to another sink (a trace writer).</summary>
    public void ReplayTo(ISyscallSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var events = OpenEvents();
        var buffer = new byte[RecordSize * 1024];
        int read;
        while ((read = events.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false)) > 0)
        {
            for (var offset = 0; offset + RecordSize <= read; offset += RecordSize)
            {
                sink.OnSyscall(Decode(buffer.AsSpan(offset, RecordSize)));
            }
        }
    }

    public void Dispose()
    {
        _buffer.Dispose();
        _spill.Dispose();
    }

    public static void Encode(in SyscallEvent e, Span<byte> record)
    {
        BinaryPrimitives.WriteInt32LittleEndian(record, e.Pid);
        BinaryPrimitives.WriteInt32LittleEndian(record[4..], e.Tid);
        BinaryPrimitives.WriteInt32LittleEndian(record[8..], e.Number);
        BinaryPrimitives.WriteInt32LittleEndian(record[12..], e.StackId);
        BinaryPrimitives.WriteInt64LittleEndian(record[16..], e.StartNs);
        BinaryPrimitives.WriteInt64LittleEndian(record[24..], e.DurationNs);
        BinaryPrimitives.WriteInt64LittleEndian(record[32..], e.Return);
        BinaryPrimitives.WriteUInt64LittleEndian(record[40..], e.Arg0);
        BinaryPrimitives.WriteUInt64LittleEndian(record[48..], e.Arg1);
        BinaryPrimitives.WriteUInt64LittleEndian(record[56..], e.Arg2);
    }

    public static SyscallEvent Decode(ReadOnlySpan<byte> record) => new(
        BinaryPrimitives.ReadInt32LittleEndian(record),
        BinaryPrimitives.ReadInt32LittleEndian(record[4..]),
        BinaryPrimitives.ReadInt32LittleEndian(record[8..]),
        BinaryPrimitives.ReadInt64LittleEndian(record[16..]),
        BinaryPrimitives.ReadInt64LittleEndian(record[24..]),
        BinaryPrimitives.ReadInt64LittleEndian(record[32..]),
        BinaryPrimitives.ReadUInt64LittleEndian(record[40..]),
        BinaryPrimitives.ReadUInt64LittleEndian(record[48..]),
        BinaryPrimitives.ReadUInt64LittleEndian(record[56..]),
        BinaryPrimitives.ReadInt32LittleEndian(record[12..]));
}
