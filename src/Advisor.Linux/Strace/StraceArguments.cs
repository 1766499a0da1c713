using System.Globalization;
using System.Text;

namespace Advisor.Linux.Strace;

/// <summary>
/// Reads the values strace prints for arguments and results: numbers, flag sets, strings, fd decorations
/// (-y) and socket addresses. Buffers are never needed: only the numbers the analysis uses.
/// </summary>
public static class StraceArguments
{
    // What the analysis distinguishes by value (open's access mode and O_APPEND, mmap's PROT_NONE, madvise's
    // advice) and strace prints by name. The same values on x86_64 and arm64.
    private static readonly Dictionary<string, ulong> Constants = new(StringComparer.Ordinal)
    {
        ["NULL"] = 0,
        ["AT_FDCWD"] = unchecked((ulong)-100),
        ["O_RDONLY"] = 0,
        ["O_WRONLY"] = 1,
        ["O_RDWR"] = 2,
        ["O_CREAT"] = 0x40,
        ["O_EXCL"] = 0x80,
        ["O_NOCTTY"] = 0x100,
        ["O_TRUNC"] = 0x200,
        ["O_APPEND"] = 0x400,
        ["O_NONBLOCK"] = 0x800,
        ["O_DSYNC"] = 0x1000,
        ["O_CLOEXEC"] = 0x80000,
        ["PROT_NONE"] = 0,
        ["PROT_READ"] = 1,
        ["PROT_WRITE"] = 2,
        ["PROT_EXEC"] = 4,
        ["MADV_NORMAL"] = 0,
        ["MADV_RANDOM"] = 1,
        ["MADV_SEQUENTIAL"] = 2,
        ["MADV_WILLNEED"] = 3,
        ["MADV_DONTNEED"] = 4,
        ["MADV_FREE"] = 8,
        ["MADV_REMOVE"] = 9,
        ["MADV_DONTFORK"] = 10,
        ["MADV_DOFORK"] = 11,
        ["MADV_HUGEPAGE"] = 14,
        ["MADV_NOHUGEPAGE"] = 15,
        ["MADV_DONTDUMP"] = 16,
        ["MADV_DODUMP"] = 17,
    };

    /// <summary>
    /// The top-level arguments, split at commas outside strings, brackets and braces. Only the first
    /// <paramref name="max"/> are returned: the rest is never needed.
    /// </summary>
    public static List<string> Split(string text, int max = 6)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<string>(Math.Min(max, 6));
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length && parts.Count < max; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '"': quoted = true; break;
                case '(' or '[' or '{': depth++; break;
                case ')' or ']' or '}': depth--; break;
                case ',' when depth == 0:
                    parts.Add(text[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        if (parts.Count < max && start < text.Length && !string.IsNullOrWhiteSpace(text[start..]))
        {
            parts.Add(text[start..].Trim());
        }

        return parts;
    }

    /// <summary>
    /// The number an argument or result stands for: decimal, hex or octal (with any -y decoration after it),
    /// a known constant, or an OR of flags ("O_WRONLY|O_APPEND|O_CLOEXEC"). Strings, structures and unknown
    /// names count as 0.
    /// </summary>
    public static ulong Number(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty || text[0] is '"' or '[' or '{')
        {
            return 0;
        }

        ulong value = 0;
        foreach (var range in text.Split('|'))
        {
            var part = text[range].Trim();
            if (!part.IsEmpty && (char.IsAsciiDigit(part[0]) || part[0] == '-'))
            {
                value |= Integer(part);
            }
            else if (Constants.TryGetValue(part.ToString(), out var constant))
            {
                value |= constant;
            }
        }

        return value;
    }

    /// <summary>The -y decoration after a number ("3&lt;/var/log/app.log&gt;" → "/var/log/app.log"), or null.</summary>
    public static string? Decoration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lt = text.IndexOf('<', StringComparison.Ordinal);
        if (lt <= 0 || !char.IsAsciiDigit(text[lt - 1]))
        {
            return null;
        }

        var gt = text.LastIndexOf('>');
        return gt > lt + 1 ? text[(lt + 1)..gt] : null;
    }

    /// <summary>The content of a quoted string argument, unescaped; null when the argument is not a string.</summary>
    public static string? String(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        if (s.Length < 2 || s[0] != '"')
        {
            return null;
        }

        var bytes = new List<byte>(s.Length);
        for (var i = 1; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '"')
            {
                return Encoding.UTF8.GetString(bytes.ToArray());
            }

            if (c != '\\' || i + 1 >= s.Length)
            {
                Append(bytes, c);
                continue;
            }

            var e = s[++i];
            switch (e)
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 'v': bytes.Add((byte)'\v'); break;
                case 'f': bytes.Add((byte)'\f'); break;
                case 'x' when i + 2 < s.Length && byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex):
                    bytes.Add(hex);
                    i += 2;
                    break;
                case >= '0' and <= '7':
                    var octal = 0;
                    var digits = 0;
                    for (; digits < 3 && i < s.Length && s[i] is >= '0' and <= '7'; digits++, i++)
                    {
                        octal = (octal * 8) + (s[i] - '0');
                    }

                    i--;
                    bytes.Add((byte)octal);
                    break;
                default:
                    Append(bytes, e);
                    break;
            }
        }

        return null; // unterminated: not a string strace printed
    }

    /// <summary>
    /// A socket address as /proc describes a peer ("127.0.0.1:5000", "[::1]:5000", "unix /run/app.sock"),
    /// from strace's structure: {sa_family=AF_INET, sin_port=htons(5000), sin_addr=inet_addr("127.0.0.1")}.
    /// </summary>
    public static string? SocketAddress(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains("sa_family=AF_UNIX", StringComparison.Ordinal))
        {
            var path = Field(text, "sun_path=");
            return path is null ? "unix socket" : $"unix {String(path) ?? path}";
        }

        var port = Between(text, "port=htons(", ")");
        if (port is null)
        {
            return null;
        }

        var written = text.Contains("AF_INET6", StringComparison.Ordinal)
            ? Between(text, "inet_pton(AF_INET6, \"", "\"")
            : Between(text, "inet_addr(\"", "\"");
        if (!System.Net.IPAddress.TryParse(written, out var address))
        {
            return null;
        }

        // Spelled as /proc's sockets are (SocketTable): a v4 peer of a dual-stack socket as plain v4.
        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
    }

    private static string? Field(string text, string name)
    {
        var at = text.IndexOf(name, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = text[(at + name.Length)..];
        var parts = Split(rest.TrimEnd('}'), 1);
        return parts.Count == 0 ? null : parts[0];
    }

    private static string? Between(string text, string open, string close)
    {
        var at = text.IndexOf(open, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = at + open.Length;
        var end = text.IndexOf(close, start, StringComparison.Ordinal);
        return end < 0 ? null : text[start..end];
    }

    private static ulong Integer(ReadOnlySpan<char> s)
    {
        var negative = s[0] == '-';
        if (negative)
        {
            s = s[1..];
        }

        var end = 0;
        ulong value = 0;
        if (s.StartsWith("0x"))
        {
            for (end = 2; end < s.Length && char.IsAsciiHexDigit(s[end]); end++)
            {
            }

            _ = ulong.TryParse(s[2..end], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        else
        {
            var octal = s.Length > 1 && s[0] == '0' && char.IsAsciiDigit(s[1]);
            for (; end < s.Length && char.IsAsciiDigit(s[end]); end++)
            {
                value = octal ? (value * 8) + (ulong)(s[end] - '0') : (value * 10) + (ulong)(s[end] - '0');
            }
        }

        return negative ? unchecked(0 - value) : value;
    }

    private static void Append(List<byte> bytes, char c)
    {
        if (c < 0x80)
        {
            bytes.Add((byte)c);
            return;
        }

        Span<byte> encoded = stackalloc byte[4];
        var n = Encoding.UTF8.GetBytes([c], encoded);
        foreach (var b in encoded[..n])
        {
            bytes.Add(b);
        }
    }
}
