using System.Reflection;
using Microsoft.Diagnostics.Tracing;

namespace Advisor.Runtime.EventPipe;

/// <summary>
/// Reads the managed stack EventPipe attached to an event. TraceEvent keeps it in the event record's
/// extended data (a STACK_TRACE64 item) but exposes it only through TraceLog, which needs a file; the real
/// time path reads it in place. Guarded: if a TraceEvent version moves the field, stacks are empty, never wrong.
/// </summary>
internal static unsafe class EventStackReader
{
    private const int MaxFrames = 128;

    // EVENT_RECORD: EVENT_HEADER (80 bytes), ETW_BUFFER_CONTEXT (4), USHORT ExtendedDataCount,
    // USHORT UserDataLength, then the PEVENT_HEADER_EXTENDED_DATA_ITEM pointer at 88 on 64-bit.
    private const int ExtendedDataCountOffset = 84;
    private const int ExtendedDataOffset = 88;
    private const ushort StackTrace64 = 6;

    private static readonly FieldInfo? RecordField =
        typeof(TraceEvent).GetField("eventRecord", BindingFlags.Instance | BindingFlags.NonPublic);

    public static bool Available => RecordField is not null && IntPtr.Size == 8;

    /// <summary>Copies the event's stack into <paramref name="buffer"/>; returns the frames written.</summary>
    public static int Read(TraceEvent data, Span<ulong> buffer)
    {
        if (!Available || RecordField!.GetValue(data) is not { } boxed)
        {
            return 0;
        }

        var record = (byte*)Pointer.Unbox(boxed);
        if (record is null)
        {
            return 0;
        }

        var count = *(ushort*)(record + ExtendedDataCountOffset);
        var items = *(byte**)(record + ExtendedDataOffset);
        for (var i = 0; i < count && items is not null; i++)
        {
            // EVENT_HEADER_EXTENDED_DATA_ITEM: USHORT Reserved1, USHORT ExtType, USHORT flags, USHORT DataSize, ULONGLONG DataPtr.
            var item = items + (16 * i);
            if (*(ushort*)(item + 2) != StackTrace64)
            {
                continue;
            }

            var size = *(ushort*)(item + 6);
            var stack = *(ulong**)(item + 8);
            // STACK_TRACE64: ULONG64 MatchId, then the addresses.
            var frames = Math.Min(Math.Max(0, (size - 8) / 8), Math.Min(buffer.Length, MaxFrames));
            new ReadOnlySpan<ulong>(stack + 1, frames).CopyTo(buffer);
            return frames;
        }

        return 0;
    }
}
