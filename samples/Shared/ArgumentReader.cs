using System.Globalization;

namespace Samples.Shared;

/// <summary>The samples' hand-written option parsing, shared (linked into each sample by samples/Directory.Build.props).</summary>
internal static class ArgumentReader
{
    /// <summary>The value after the option at <paramref name="i"/>, advancing past it.</summary>
    public static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new UsageException($"{args[i - 1]} needs a value");

    public static int IntValue(string[] args, ref int i, int min, int max = int.MaxValue)
    {
        string name = args[i];
        string text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new UsageException($"{name} needs an integer in [{min}, {max}], got '{text}'");
    }

    /// <summary>A server's address, <c>HOST:PORT</c> (a host name or an IPv4 address).</summary>
    public static (string Host, int Port) EndpointValue(string[] args, ref int i)
    {
        string name = args[i];
        string text = Value(args, ref i);
        int colon = text.LastIndexOf(':');
        return colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and < 65536
            ? (text[..colon], port)
            : throw new UsageException($"{name} needs HOST:PORT, got '{text}'");
    }
}

/// <summary>A bad command line: the message is one line, printed with the usage; exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
