using System.Globalization;
using Advisor.Linux.Unwinding;

namespace Advisor.UnitTests.Unwinding;

/// <summary>
/// The acceptance test of issue 16: on the real native modules of this machine, the interpreter's CFA, return
/// address and frame pointer rules are what <c>readelf --debug-dump=frames-interp</c> prints.
/// </summary>
public sealed class CallFrameTableRealModuleTests
{
    [SkippableTheory]
    [InlineData(RealModules.LibC, "write")]
    [InlineData(RealModules.LibC, "pwrite64")]
    [InlineData(RealModules.LibC, "recv")]
    [InlineData(RealModules.LibC, "fsync")]
    [InlineData(RealModules.LibC, "__libc_start_main")]
    [InlineData(RealModules.SystemNative, "SystemNative_Read")]
    [InlineData(RealModules.SystemNative, "SystemNative_PWrite")]
    [InlineData(RealModules.SystemNative, "SystemNative_Receive")]
    [InlineData(RealModules.Sqlite, "sqlite3_step")]
    [InlineData(RealModules.Sqlite, "sqlite3_exec")]
    [InlineData(RealModules.Sqlite, "sqlite3VdbeExec")] // internal: named by .symtab only
    [InlineData(RealModules.Sqlite, "sqlite3BtreeInsert")]
    public void A_known_function_has_readelfs_rows_at_its_start_its_row_boundaries_and_its_last_byte(string module, string function)
    {
        var path = RealModules.Path(module);
        var readelf = Readelf.Of(path);
        var table = CallFrameTable.Load(path).ShouldNotBeNull();
        var (start, size) = readelf.Function(function);
        size.ShouldBeGreaterThan(1UL);
        var fde = readelf.FdeAt(start).ShouldNotBeNull($"readelf shows no FDE for {function}");

        // The row boundaries are where an off-by-one in advancing shows: each LOC and the byte before it.
        var end = start + size;
        var addresses = new SortedSet<ulong> { start, start + 1, end - 1 };
        foreach (var row in fde.Rows.Where(r => r.Location > start && r.Location < end))
        {
            addresses.Add(row.Location);
            addresses.Add(row.Location - 1);
        }

        var mismatches = Compare(table, readelf, addresses);

        mismatches.ShouldBeEmpty($"{module} {function} @ {start:x}: {string.Join("; ", mismatches)}");
        addresses.Count.ShouldBeGreaterThanOrEqualTo(3);
    }

    [SkippableTheory]
    [InlineData(RealModules.LibC)]
    [InlineData(RealModules.SystemNative)]
    [InlineData(RealModules.Sqlite)]
    public void Every_row_of_every_FDE_of_the_module_is_readelfs(string module)
    {
        var path = RealModules.Path(module);
        var readelf = Readelf.Of(path);
        var table = CallFrameTable.Load(path).ShouldNotBeNull();
        table.Architecture.ShouldBe(UnwindArchitecture.X64);
        table.BuildId.ShouldBe(readelf.BuildId);

        var addresses = readelf.Fdes.SelectMany(f => f.Rows.Select(r => r.Location).Append(f.PcBegin).Append(f.PcEnd - 1));
        var mismatches = Compare(table, readelf, addresses);

        mismatches.ShouldBeEmpty($"{mismatches.Count} mismatches in {module}, first: {string.Join("; ", mismatches.Take(10))}");
        table.Count.ShouldBe(readelf.Fdes.Select(f => f.PcBegin).Distinct().Count());
    }

    private static List<string> Compare(CallFrameTable table, Readelf readelf, IEnumerable<ulong> addresses)
    {
        var mismatches = new List<string>();
        foreach (var address in addresses)
        {
            var fde = readelf.FdeAt(address);
            var found = table.TryFind(address, out var row);
            if (fde is null || !found)
            {
                if (fde is not null || found)
                {
                    mismatches.Add(string.Create(CultureInfo.InvariantCulture, $"{address:x}: readelf FDE {fde is not null}, ours {found}"));
                }

                continue;
            }

            var expected = ReadelfNotation.Of(readelf.RowAt(fde, address));
            var actual = ReadelfNotation.Of(row);
            if (expected != actual)
            {
                mismatches.Add(string.Create(CultureInfo.InvariantCulture, $"{address:x}: readelf {expected}, ours {actual}"));
            }
        }

        return mismatches;
    }
}
