using System.Reflection;
using System.Reflection.Emit;
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

    /// <summary>The event's EVENT_RECORD pointer (TraceEvent's private <c>eventRecord</c> field), or null.</summary>
    private static readonly Func<TraceEvent, IntPtr>? RecordOf = RecordReader();

    public static bool Available => RecordOf is not null && IntPtr.Size == 8;

    /// <summary>Copies the event's stack into <paramref name="buffer"/>; returns the frames written.</summary>
    public static int Read(TraceEvent data, Span<ulong> buffer)
    {
        if (!Available)
        {
            return 0;
        }

        var record = (byte*)RecordOf!(data);
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

    /// <summary>
    /// A compiled read of the field: reflection's FieldInfo.GetValue boxed the pointer, an allocation and a
    /// slow call for every event with a stack. Falls back to reflection where code cannot be emitted.
    /// </summary>
    private static Func<TraceEvent, IntPtr>? RecordReader()
    {
        var field = typeof(TraceEvent).GetField("eventRecord", BindingFlags.Instance | BindingFlags.NonPublic);
        if (field is null || !field.FieldType.IsPointer)
        {
            return null;
        }

        try
        {
            var method = new DynamicMethod("EventRecordOf", typeof(IntPtr), [typeof(TraceEvent)], typeof(TraceEvent).Module, skipVisibility: true);
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, field);
            il.Emit(OpCodes.Conv_I);
            il.Emit(OpCodes.Ret);
            return method.CreateDelegate<Func<TraceEvent, IntPtr>>();
        }
        catch (PlatformNotSupportedException)
        {
            return data => field.GetValue(data) is { } boxed ? (IntPtr)Pointer.Unbox(boxed) : IntPtr.Zero;
        }
    }
}
