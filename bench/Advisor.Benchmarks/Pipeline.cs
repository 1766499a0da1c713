using System.Buffers.Binary;
using Advisor.Core.Aggregation;
using Advisor.Core.Stacks;
using Advisor.Linux.Perf;
using Advisor.Linux.Syscalls;

namespace Advisor.Benchmarks;

/// <summary>
/// The recording pipeline of the perf source, minus the ring: decoder (interning callchains) → pairer → aggregator, wired as
/// <c>PerfSyscallSource</c> wires them.
/// </summary>
internal sealed class Pipeline
{
    public Pipeline(long originNs, SyntheticStorm storm)
    {
        var table = LinuxTables.ForArchitecture("x86_64");
        table.TryGetNumber("exit", out var exitNr);
        table.TryGetNumber("exit_group", out var exitGroupNr);
        Aggregator = new SyscallAggregator(SyntheticStorm.Catalog(), new ConstantIntrospector(), originNs);
        Pairer = new SyscallPairer(Aggregator, exitNr, exitGroupNr);
        Stacks = storm.StackDepth > 0 ? new StackTable() : null;
        Decoder = new PerfRecordDecoder(
            SyntheticStorm.EnterType, SyntheticStorm.ExitType, hasCallchain: storm.StackDepth > 0, Pairer, storm.Owners(), Stacks);
    }

    public SyscallAggregator Aggregator { get; }

    /// <summary>Where callchains are interned, when the storm has them.</summary>
    public StackTable? Stacks { get; }

    public SyscallPairer Pairer { get; }

    public PerfRecordDecoder Decoder { get; }

    /// <summary>Decodes records back to back, reading each one's size from its header as the ring drain does.</summary>
    public void Feed(ReadOnlySpan<byte> records)
    {
        var decoder = Decoder;
        var offset = 0;
        while (offset < records.Length)
        {
            var size = BinaryPrimitives.ReadUInt16LittleEndian(records[(offset + 6)..]);
            decoder.Decode(records.Slice(offset, size));
            offset += size;
        }
    }
}
