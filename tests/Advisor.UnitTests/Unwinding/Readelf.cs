using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Advisor.UnitTests.Symbols;

namespace Advisor.UnitTests.Unwinding;

/// <summary>
/// What <c>readelf --debug-dump=frames-interp</c> prints for a module, parsed: the reference the interpreter is
/// compared with. One readelf run per module for the whole test run.
/// </summary>
internal sealed partial class Readelf
{
    private static readonly ConcurrentDictionary<string, Lazy<Readelf>> Cache = new(StringComparer.Ordinal);

    private readonly Dictionary<long, FrameEntry> _cies = [];
    private readonly List<FrameEntry> _fdes = [];
    private readonly Dictionary<string, (ulong Address, ulong Size)> _functions = new(StringComparer.Ordinal);

    private Readelf(string path)
    {
        ParseFrames(NativeTools.Run(NativeTools.Require("readelf"), silentFailureIsSuccess: true, "--debug-dump=frames-interp", path));
        ParseSymbols(NativeTools.Run(NativeTools.Require("readelf"), "-sW", path));
        BuildId = BuildIdLine().Match(NativeTools.Run(NativeTools.Require("readelf"), "-n", path)) is { Success: true } id ? id.Groups[1].Value : null;
    }

    /// <summary>The build id readelf -n shows, or null.</summary>
    public string? BuildId { get; }

    public IReadOnlyList<FrameEntry> Fdes => _fdes;

    public static Readelf Of(string path)
    {
        NativeTools.Require("readelf");
        return Cache.GetOrAdd(path, p => new Lazy<Readelf>(() => new Readelf(p))).Value;
    }

    public (ulong Address, ulong Size) Function(string name) =>
        _functions.TryGetValue(name, out var function) ? function : throw new InvalidOperationException($"readelf lists no function {name}");

    /// <returns>The FDE covering the address, or null when readelf shows none.</returns>
    public FrameEntry? FdeAt(ulong address) => _fdes.LastOrDefault(f => f.PcBegin <= address && address < f.PcEnd);

    /// <returns>The columns of the row in force at the address ("LOC" excluded), as readelf spells them.</returns>
    public IReadOnlyDictionary<string, string> RowAt(FrameEntry fde, ulong address)
    {
        // An FDE of only nops prints no rows: the CIE's initial row holds throughout.
        var rows = fde.Rows.Count > 0 ? fde.Rows : _cies[fde.Cie].Rows;
        return rows.Last(r => r.Location <= address || rows[0] == r).Columns;
    }

    private void ParseFrames(string output)
    {
        FrameEntry? current = null;
        string[] header = [];
        foreach (var line in output.Split('\n'))
        {
            if (CieLine().Match(line) is { Success: true } cie)
            {
                current = new FrameEntry(Hex(cie.Groups[1].Value), -1, 0, 0);
                _cies[current.Offset] = current;
            }
            else if (FdeLine().Match(line) is { Success: true } fde)
            {
                current = new FrameEntry(Hex(fde.Groups[1].Value), Hex(fde.Groups[2].Value), (ulong)Hex(fde.Groups[3].Value), (ulong)Hex(fde.Groups[4].Value));
                _fdes.Add(current);
            }
            else if (line.TrimStart().StartsWith("LOC ", StringComparison.Ordinal))
            {
                header = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
            else if (current is not null && RowLine().IsMatch(line))
            {
                // "held in register" cells read "r9 (r9)" or "r5 (rdi)": one cell, the register's name.
                var cells = RegisterCell().Replace(line, "$1").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var columns = header.Skip(1).Zip(cells.Skip(1)).ToDictionary(c => c.First, c => c.Second, StringComparer.Ordinal);
                current.Rows.Add(new FrameRow((ulong)Hex(cells[0]), columns));
            }
        }
    }

    private void ParseSymbols(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length >= 8 && cells[3] == "FUNC" && cells[6] != "UND")
            {
                var name = cells[7].Split('@')[0];
                var size = cells[2].StartsWith("0x", StringComparison.Ordinal) ? (ulong)Hex(cells[2][2..]) : ulong.Parse(cells[2], CultureInfo.InvariantCulture);
                _functions.TryAdd(name, ((ulong)Hex(cells[1]), size));
            }
        }
    }

    private static long Hex(string text) => long.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex("^([0-9a-f]{8}) [0-9a-f]+ [0-9a-f]+ CIE")]
    private static partial Regex CieLine();

    [GeneratedRegex(@"^([0-9a-f]{8}) [0-9a-f]+ [0-9a-f]+ FDE cie=([0-9a-f]+) pc=([0-9a-f]+)\.\.([0-9a-f]+)")]
    private static partial Regex FdeLine();

    [GeneratedRegex(@"r\d+ \((\w+)\)")]
    private static partial Regex RegisterCell();

    [GeneratedRegex("Build ID: ([0-9a-f]+)")]
    private static partial Regex BuildIdLine();

    [GeneratedRegex("^[0-9a-f]{16} ")]
    private static partial Regex RowLine();
}

/// <param name="Offset">The entry's offset in .eh_frame, as readelf prints it.</param>
/// <param name="Cie">The FDE's CIE offset (-1 for a CIE).</param>
internal sealed record FrameEntry(long Offset, long Cie, ulong PcBegin, ulong PcEnd)
{
    public List<FrameRow> Rows { get; } = [];
}

internal sealed record FrameRow(ulong Location, IReadOnlyDictionary<string, string> Columns);
