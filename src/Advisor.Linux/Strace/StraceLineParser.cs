namespace Advisor.Linux.Strace;

/// <summary>
/// Splits a line of strace output into thread, time, syscall, arguments, result and duration. Understands
/// the prefixes of <c>-f -o FILE</c> ("1234 ") and of <c>-f</c> to a terminal ("[pid  1234] "), the
/// timestamps of -t, -tt and -ttt, and -T durations.
/// </summary>
public static class StraceLineParser
{
    private const string UnfinishedSuffix = "<unfinished ...>";
    private const string ResumedMarker = " resumed>";

    public static StraceLine Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var s = line.AsSpan().TrimEnd();
        // -k prints the stack of each call on lines of its own, starting " > ".
        if (s.IsEmpty || s.StartsWith("strace: ") || s.TrimStart().StartsWith("> "))
        {
            return Other(0, -1);
        }

        var tid = 0;
        if (s.StartsWith("[pid"))
        {
            var close = s.IndexOf(']');
            if (close < 0 || !TryInt(s[4..close].Trim(), out tid))
            {
                return Unknown;
            }

            s = s[(close + 1)..].TrimStart();
        }
        else
        {
            var digits = LeadingDigits(s);
            if (digits > 0 && digits < s.Length && s[digits] == ' ')
            {
                _ = TryInt(s[..digits], out tid);
                s = s[digits..].TrimStart();
            }
        }

        var time = -1L;
        if (!s.IsEmpty && char.IsAsciiDigit(s[0]))
        {
            var space = s.IndexOf(' ');
            if (space < 0 || !TryTime(s[..space], out time))
            {
                return Unknown;
            }

            s = s[(space + 1)..].TrimStart();
        }

        if (s.StartsWith("--- ") || s.StartsWith("+++ "))
        {
            return Other(tid, time);
        }

        if (s.StartsWith("<... "))
        {
            var marker = s.IndexOf(ResumedMarker);
            if (marker < 0)
            {
                return Unknown;
            }

            var name = s[5..marker];
            var rest = s[(marker + ResumedMarker.Length)..];
            return TrySplitResult(rest, out var args, out var result, out var duration) && IsName(name)
                ? new StraceLine(StraceLineKind.Resumed, tid, time, name.ToString(), args.ToString(), result.ToString(), duration)
                : Unknown;
        }

        var open = s.IndexOf('(');
        if (open <= 0 || !IsName(s[..open]))
        {
            return Unknown;
        }

        var callName = s[..open].ToString();
        var body = s[(open + 1)..];
        if (body.EndsWith(UnfinishedSuffix))
        {
            return new StraceLine(StraceLineKind.Unfinished, tid, time, callName, body[..^UnfinishedSuffix.Length].TrimEnd().ToString(), null, -1);
        }

        return TrySplitResult(body, out var arguments, out var value, out var took)
            ? new StraceLine(StraceLineKind.Complete, tid, time, callName, arguments.ToString(), value.ToString(), took)
            : Unknown;
    }

    private static StraceLine Unknown => new(StraceLineKind.Unknown, 0, -1, "", "", null, -1);

    private static StraceLine Other(int tid, long time) => new(StraceLineKind.Other, tid, time, "", "", null, -1);

    /// <summary>"ARGS) = RESULT &lt;DURATION&gt;": strace pads before " = " so results line up.</summary>
    private static bool TrySplitResult(ReadOnlySpan<char> s, out ReadOnlySpan<char> args, out ReadOnlySpan<char> result, out long durationNs)
    {
        args = result = default;
        durationNs = -1;
        if (s.EndsWith(">"))
        {
            var lt = s.LastIndexOf(" <");
            if (lt >= 0 && TryDecimalNs(s[(lt + 2)..^1], out var ns))
            {
                durationNs = ns;
                s = s[..lt];
            }
        }

        var eq = s.LastIndexOf(" = ");
        if (eq < 0)
        {
            return false;
        }

        var before = s[..eq].TrimEnd();
        if (!before.EndsWith(")"))
        {
            return false;
        }

        args = before[..^1];
        result = s[(eq + 3)..].Trim();
        return !result.IsEmpty;
    }

    /// <summary>HH:MM:SS[.frac] (-t, -tt) or seconds.frac since the epoch (-ttt).</summary>
    private static bool TryTime(ReadOnlySpan<char> s, out long ns)
    {
        ns = -1;
        if (s.Length >= 8 && s[2] == ':' && s[5] == ':')
        {
            if (!TryInt(s[..2], out var h) || !TryInt(s[3..5], out var m) || !TryDecimalNs(s[6..], out var secondsNs))
            {
                return false;
            }

            ns = ((h * 3600L) + (m * 60L)) * 1_000_000_000L + secondsNs;
            return h < 24 && m < 60;
        }

        return TryDecimalNs(s, out ns);
    }

    /// <summary>A non-negative decimal number of seconds ("0.000254", "1700000000.123456") in nanoseconds, exactly.</summary>
    internal static bool TryDecimalNs(ReadOnlySpan<char> s, out long ns)
    {
        ns = 0;
        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? [] : s[(dot + 1)..];
        if (whole.IsEmpty || whole.Length > 11 || LeadingDigits(whole) != whole.Length || LeadingDigits(fraction) != fraction.Length)
        {
            return false;
        }

        long seconds = 0;
        foreach (var c in whole)
        {
            seconds = (seconds * 10) + (c - '0');
        }

        long nanos = 0;
        for (var i = 0; i < 9; i++)
        {
            nanos = (nanos * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
        }

        ns = (seconds * 1_000_000_000L) + nanos;
        return true;
    }

    private static bool TryInt(ReadOnlySpan<char> s, out int value) =>
        int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);

    private static int LeadingDigits(ReadOnlySpan<char> s)
    {
        var n = 0;
        while (n < s.Length && char.IsAsciiDigit(s[n]))
        {
            n++;
        }

        return n;
    }

    private static bool IsName(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
