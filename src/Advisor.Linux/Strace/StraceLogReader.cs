using System.Text;

namespace Advisor.Linux.Strace;

/// <summary>
/// Reads an strace log as whole calls, in the order they ended: unfinished and resumed halves are joined per
/// thread. Counts what it could not understand rather than failing on it, so a log cut off mid-line or with
/// the traced program's own output mixed in still imports; the importer decides when that is too much.
/// </summary>
public sealed class StraceLogReader
{
    /// <summary>Longer lines are not strace's (a binary file, or a runaway string): skipped, counted as not understood.</summary>
    public const int MaxLineChars = 1 << 20;

    private const long Day = 86_400L * 1_000_000_000L;
    private const string StraceMessage = "strace: Process ";
    private readonly string _path;

    public StraceLogReader(string path) => _path = path;

    public long Lines { get; private set; }

    /// <summary>Lines that are not strace output.</summary>
    public long NotUnderstood { get; private set; }

    /// <summary>The first line not understood (1-based), 0 when none.</summary>
    public long FirstNotUnderstood { get; private set; }

    /// <summary>Calls with a timestamp missing: the log was recorded without -t/-tt/-ttt.</summary>
    public long Untimed { get; private set; }

    /// <summary>Calls without a -T duration.</summary>
    public long WithoutDuration { get; private set; }

    /// <summary>Halves that never found their other half: calls in flight when strace started or stopped.</summary>
    public long Unpaired { get; private set; }

    /// <summary>The latest time the log shows (ends of calls, exits): when the recording ended.</summary>
    public long LastTimeNs { get; private set; } = -1;

    /// <param name="giveUpAfter">Stop reading when this many lines held no call at all: not an strace log.</param>
    public IEnumerable<StraceCall> Calls(long giveUpAfter = long.MaxValue)
    {
        Lines = NotUnderstood = FirstNotUnderstood = Untimed = WithoutDuration = Unpaired = 0;
        LastTimeNs = -1;
        var pending = new Dictionary<int, StraceLine>();
        var dayOffset = 0L;
        var latest = -1L;
        var calls = 0L;
        string? torn = null;
        foreach (var read in ReadLines())
        {
            Lines++;
            if (calls == 0 && Lines > giveUpAfter)
            {
                yield break;
            }

            // Without -o, strace's own "strace: Process N attached" goes to the same terminal and can land in the
            // middle of a call's line: the call goes on at the start of the next line.
            var text = torn is null ? read : torn + read;
            torn = null;
            var message = text?.IndexOf(StraceMessage, StringComparison.Ordinal) ?? -1;
            if (message > 0)
            {
                torn = text![..message];
                continue;
            }

            var line = text is null ? default : StraceLineParser.Parse(text);
            if (line.Kind == StraceLineKind.Unknown)
            {
                NotUnderstood++;
                FirstNotUnderstood = FirstNotUnderstood == 0 ? Lines : FirstNotUnderstood;
                continue;
            }

            var time = line.TimeNs;
            if (time >= 0 && time < Day)
            {
                // -t/-tt print the time of day: a log that runs past midnight starts again from 0.
                if (time + dayOffset < latest - (Day / 2))
                {
                    dayOffset += Day;
                }

                time += dayOffset;
            }

            latest = Math.Max(latest, time);
            switch (line.Kind)
            {
                case StraceLineKind.Other:
                    LastTimeNs = Math.Max(LastTimeNs, time);
                    continue;
                case StraceLineKind.Unfinished:
                    if (pending.Remove(line.Tid))
                    {
                        Unpaired++;
                    }

                    pending[line.Tid] = line with { TimeNs = time };
                    continue;
                case StraceLineKind.Resumed:
                    if (!pending.Remove(line.Tid, out var first) || first.Name != line.Name)
                    {
                        Unpaired++;
                        continue;
                    }

                    line = first with { Arguments = first.Arguments + line.Arguments, Result = line.Result, DurationNs = line.DurationNs };
                    break;
                default:
                    line = line with { TimeNs = time };
                    break;
            }

            calls++;
            Untimed += line.TimeNs < 0 ? 1 : 0;
            WithoutDuration += line.DurationNs < 0 && line.Result != "?" ? 1 : 0; // calls that never returned have none
            LastTimeNs = Math.Max(LastTimeNs, line.TimeNs + Math.Max(0, line.DurationNs));
            yield return new StraceCall(line.Tid, line.TimeNs, line.Name, line.Arguments, line.Result!, line.DurationNs, Lines);
        }

        Unpaired += pending.Count;
    }

    /// <summary>The file's lines, each null when it was longer than <see cref="MaxLineChars"/>.</summary>
    private IEnumerable<string?> ReadLines()
    {
        using var reader = new StreamReader(_path, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, new FileStreamOptions { BufferSize = 1 << 16 });
        var buffer = new char[1 << 16];
        var line = new StringBuilder();
        var overlong = false;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n')
                {
                    continue;
                }

                Append(line, buffer.AsSpan(start, i - start), ref overlong);
                yield return overlong ? null : line.ToString();
                line.Clear();
                overlong = false;
                start = i + 1;
            }

            Append(line, buffer.AsSpan(start, read - start), ref overlong);
        }

        if (line.Length > 0 || overlong)
        {
            yield return overlong ? null : line.ToString();
        }
    }

    private static void Append(StringBuilder line, ReadOnlySpan<char> chars, ref bool overlong)
    {
        if (line.Length + chars.Length > MaxLineChars)
        {
            overlong = true;
            line.Clear();
            return;
        }

        if (!overlong)
        {
            line.Append(chars);
        }
    }
}
