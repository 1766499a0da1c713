using System.Runtime.InteropServices;
using Advisor.Core.Failures;
using Advisor.Linux.Native;

namespace Advisor.Linux.Bpf;

/// <summary>
/// A BPF ring buffer map read in place: the consumer position page (ours to write), then the producer position
/// page and the data, mapped twice in a row by the kernel so a record that wraps reads as one. Records are an
/// 8-byte header (length, with busy and discard bits) and their data, 8-byte aligned.
/// </summary>
internal sealed unsafe class BpfRingBuffer : IDisposable
{
    private const uint BusyBit = 1U << 31;
    private const uint DiscardBit = 1U << 30;
    private const int HeaderSize = 8;

    private readonly nint _consumerPage;
    private readonly nint _producerPages;
    private readonly nuint _producerLength;
    private readonly ulong _mask;
    private readonly byte* _data;
    private bool _disposed;

    public BpfRingBuffer(int mapFd, ulong dataSize)
    {
        var page = (nuint)Environment.SystemPageSize;
        _mask = dataSize - 1;
        _consumerPage = LibC.Mmap(0, page, LibC.ProtRead | LibC.ProtWrite, LibC.MapShared, mapFd, 0);
        if (_consumerPage == LibC.MapFailed)
        {
            throw Failure(Marshal.GetLastPInvokeError());
        }

        _producerLength = page + (nuint)(2 * dataSize);
        _producerPages = LibC.Mmap(0, _producerLength, LibC.ProtRead, LibC.MapShared, mapFd, (long)page);
        if (_producerPages == LibC.MapFailed)
        {
            var errno = Marshal.GetLastPInvokeError();
            _ = LibC.Munmap(_consumerPage, page);
            throw Failure(errno);
        }

        _data = (byte*)_producerPages + page;
    }

    /// <summary>Hands every complete record's data to <paramref name="consume"/> and frees the space; returns how many.</summary>
    public int Drain(IRecordConsumer consume)
    {
        var consumer = (ulong*)_consumerPage;
        var position = Volatile.Read(ref *consumer);
        var producer = Volatile.Read(ref *(ulong*)_producerPages);
        var records = 0;
        while (position < producer)
        {
            var header = (uint*)(_data + (position & _mask));
            var length = Volatile.Read(ref *header);
            if ((length & BusyBit) != 0)
            {
                break; // reserved, not yet submitted: the records after it wait with it
            }

            var size = length & ~(BusyBit | DiscardBit);
            if ((length & DiscardBit) == 0)
            {
                consume.OnRecord(new ReadOnlySpan<byte>(_data + (position & _mask) + HeaderSize, (int)size));
                records++;
            }

            position += (size + HeaderSize + 7) & ~7UL;
            Volatile.Write(ref *consumer, position);
        }

        return records;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ = LibC.Munmap(_producerPages, _producerLength);
        _ = LibC.Munmap(_consumerPage, (nuint)Environment.SystemPageSize);
    }

    private static AdvisorException Failure(int errno) =>
        new(FailureKind.Internal, $"mmap of the bpf ring buffer failed: {LibC.LastErrorMessage(errno)}");
}

/// <summary>Takes one ring-buffer record's data, in place (valid only during the call).</summary>
internal interface IRecordConsumer
{
    void OnRecord(ReadOnlySpan<byte> data);
}
