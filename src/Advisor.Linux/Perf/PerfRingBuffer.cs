using Advisor.Core.Failures;
using Advisor.Linux.Native;

namespace Advisor.Linux.Perf;

/// <summary>
/// One mmap'd perf ring buffer (a metadata page followed by 2^n data pages). The kernel writes and advances
/// data_head; we read up to it and publish data_tail, so no lock is ever taken on either side.
/// </summary>
internal sealed unsafe class PerfRingBuffer : IDisposable
{
    private nint _mapping;
    private readonly nuint _mappingLength;
    private readonly byte* _meta;
    private readonly byte* _data;
    private readonly ulong _dataSize;
    // A record that wraps past the end of the ring is copied here whole; 64 KiB is the largest record
    // the kernel can write (the header's size field is 16 bits).
    private readonly byte[] _scratch = new byte[ushort.MaxValue + 1];
    private ulong _head;
    private ulong _cursor;
    private ushort _size;
    private bool _peeked;

    public PerfRingBuffer(int fd, int dataPages)
    {
        var pageSize = Environment.SystemPageSize;
        _mappingLength = (nuint)((dataPages + 1) * pageSize);
        _mapping = LibC.Mmap(0, _mappingLength, LibC.ProtRead | LibC.ProtWrite, LibC.MapShared, fd, 0);
        if (_mapping == LibC.MapFailed)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw errno is LibC.Eperm or LibC.Enomem
                ? new AdvisorException(
                    FailureKind.Privilege,
                    $"cannot map a {dataPages * pageSize / 1024} KiB perf ring buffer ({LibC.LastErrorMessage(errno)}); " +
                    "raise kernel.perf_event_mlock_kb, run as root, or use a smaller --buffer-size")
                : new AdvisorException(FailureKind.Internal, $"mmap of a perf ring buffer failed: {LibC.LastErrorMessage(errno)}");
        }

        _meta = (byte*)_mapping;
        var dataOffset = *(ulong*)(_meta + PerfConstants.MmapDataOffset);
        _dataSize = *(ulong*)(_meta + PerfConstants.MmapDataSize);
        if (dataOffset == 0 || _dataSize == 0)
        {
            // Kernels before 4.1 leave these zero: the data area then starts right after the metadata page.
            dataOffset = (ulong)pageSize;
            _dataSize = (ulong)(dataPages * pageSize);
        }

        _data = _meta + dataOffset;
    }

    public ulong DataSize => _dataSize;

    /// <summary>Bytes written by the kernel and not yet consumed.</summary>
    public ulong Pending => Volatile.Read(ref *(ulong*)(_meta + PerfConstants.MmapDataHead))
        - *(ulong*)(_meta + PerfConstants.MmapDataTail);

    /// <summary>Hands every complete record to the decoder and frees the space; returns the bytes consumed.</summary>
    public ulong Drain(PerfRecordDecoder decoder)
    {
        BeginPass();
        var start = _cursor;
        while (TryPeek(out _, out var record))
        {
            decoder.Decode(record);
            Advance();
        }

        EndPass();
        return _cursor - start;
    }

    /// <summary>Starts reading what the kernel has written so far (records below data_head).</summary>
    public void BeginPass()
    {
        // Acquire: the records below data_head are fully written once we have read data_head.
        _head = Volatile.Read(ref *(ulong*)(_meta + PerfConstants.MmapDataHead));
        _cursor = *(ulong*)(_meta + PerfConstants.MmapDataTail);
        _peeked = false;
    }

    /// <summary>
    /// The next unread record of this pass and its timestamp (<see cref="long.MinValue"/> for records that
    /// carry none, such as PERF_RECORD_LOST), without consuming it; false when the pass has no more.
    /// </summary>
    public bool TryPeek(out long time, out ReadOnlySpan<byte> record)
    {
        record = default;
        time = 0;
        if (_cursor >= _head)
        {
            return false;
        }

        var offset = _cursor & (_dataSize - 1);
        // Records are 8-byte aligned and the data area a multiple of 8, so a header never wraps.
        var size = *(ushort*)(_data + offset + 6);
        if (size < 8 || _cursor + size > _head)
        {
            return false;
        }

        if (offset + size <= _dataSize)
        {
            record = new ReadOnlySpan<byte>(_data + offset, size);
        }
        else
        {
            if (!_peeked)
            {
                var first = (int)(_dataSize - offset);
                new ReadOnlySpan<byte>(_data + offset, first).CopyTo(_scratch);
                new ReadOnlySpan<byte>(_data, size - first).CopyTo(_scratch.AsSpan(first));
            }

            record = new ReadOnlySpan<byte>(_scratch, 0, size);
        }

        _peeked = true;
        _size = size;
        time = PerfRecordDecoder.TimeOf(record);
        return true;
    }

    /// <summary>Consumes the record <see cref="TryPeek"/> returned.</summary>
    public void Advance()
    {
        _cursor += _size;
        _peeked = false;
    }

    /// <summary>Frees the consumed space for the kernel.</summary>
    public void EndPass()
    {
        // Release: the kernel may overwrite the space only after we are done reading it.
        Volatile.Write(ref *(ulong*)(_meta + PerfConstants.MmapDataTail), _cursor);
    }

    public void Dispose()
    {
        if (_mapping != LibC.MapFailed && _mapping != 0)
        {
            _ = LibC.Munmap(_mapping, _mappingLength);
            _mapping = 0;
        }
    }
}
