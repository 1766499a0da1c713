using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Advisor.Core.Events;
using Advisor.Core.Failures;

namespace Advisor.Core.Recording;

/// <summary>
/// The <c>.advisor</c> file: one gzip stream holding a magic line with the format version, then sections
/// — metadata, the introspection answers and the analysis (JSON), then the raw events (64-byte little-endian
/// records, last because they are most of it) — and an end marker, so a truncated file is told from a
/// complete one.
/// </summary>
public static class RecordingFile
{
    public const int Version = 1;

    private const string Magic = "dotnet-advisor recording";
    private const byte MetadataSection = 1;
    private const byte EventsSection = 2;
    private const byte AnswersSection = 3;
    private const byte AnalysisSection = 4;
    private const byte EndSection = 0xFF;

    /// <summary>Beyond this a JSON section is not ours: a corrupted length must not allocate gigabytes.</summary>
    private const long MaxJsonSection = 1L << 30;

    private static readonly byte[] MagicBytes = Encoding.UTF8.GetBytes(Magic);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(), new ReadOnlySetConverter() },
        RespectNullableAnnotations = true,
    };

    public static void Write(Stream output, RecordingMetadata metadata, Stream events, long eventCount, IReadOnlyList<IntrospectionAnswer> answers, RecordedAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        using var writer = new BinaryWriter(gzip, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        WriteJson(writer, MetadataSection, metadata);
        WriteJson(writer, AnswersSection, answers);
        WriteJson(writer, AnalysisSection, analysis);
        writer.Write(EventsSection);
        writer.Write(eventCount * RecordingTee.RecordSize);
        writer.Flush();
        CopyExactly(events, gzip, eventCount * RecordingTee.RecordSize);
        writer.Write(EndSection);
    }

    /// <summary>
    /// Whether the file is compressed as recordings are (anything else `report` is given is read as an strace
    /// log); whether it really is a recording, and intact, <see cref="Read"/> tells.
    /// </summary>
    public static bool LooksLikeRecording(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            return HasGzipMagic(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdvisorException(FailureKind.Usage, $"cannot read {path}: {e.Message}");
        }
    }

    /// <summary>
    /// Reads a recording, delivering its events in the order they were recorded to the sink made for its
    /// metadata and answers (an aggregation that asks the recorded answers).
    /// </summary>
    /// <exception cref="AdvisorException">Not a recording, another version, truncated or corrupted: one line, exit 2.</exception>
    public static Recording Read(string path, Func<RecordingMetadata, IReadOnlyList<IntrospectionAnswer>, ISyscallSink> sinkFor)
    {
        ArgumentNullException.ThrowIfNull(sinkFor);
        try
        {
            using var file = File.OpenRead(path);
            if (!HasGzipMagic(file))
            {
                throw Problem(path, "not a dotnet-advisor recording");
            }

            file.Position = 0;
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new BinaryReader(gzip, Encoding.UTF8);
            if (!HasMagic(reader))
            {
                throw Problem(path, "not a dotnet-advisor recording");
            }

            var version = reader.ReadInt32();
            if (version != Version)
            {
                throw Problem(path, $"recording format version {version}; this dotnet-advisor reads version {Version}");
            }

            var metadata = ReadJson<RecordingMetadata>(reader, MetadataSection, path);
            var answers = ReadJson<List<IntrospectionAnswer>>(reader, AnswersSection, path);
            var analysis = ReadJson<RecordedAnalysis>(reader, AnalysisSection, path);
            var events = ReadEvents(reader, sinkFor(metadata, answers), path);
            if (reader.ReadByte() != EndSection)
            {
                throw Problem(path, "corrupted (no end marker)");
            }

            // The data must end here. Reading on also makes sure the gzip trailer was checked (its CRC is what tells
            // changed bytes that still inflate into well-formed sections): corrupted data can fake an early end marker.
            if (gzip.ReadByte() != -1)
            {
                throw Problem(path, "corrupted (data after the end marker)");
            }

            return new Recording(metadata, answers, analysis, events);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw Problem(path, "truncated or corrupted (the file ends early or does not decompress)");
        }
        catch (JsonException e)
        {
            throw Problem(path, $"corrupted ({e.Message})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdvisorException(FailureKind.Usage, $"cannot read {path}: {e.Message}");
        }
    }

    /// <summary>
    /// The magic as the bytes it must be (BinaryWriter's one-byte length, then UTF-8): read as a string, a
    /// foreign file's first bytes would be taken as a length of up to 2 GiB to read.
    /// </summary>
    private static bool HasMagic(BinaryReader reader) =>
        reader.ReadByte() == MagicBytes.Length && reader.ReadBytes(MagicBytes.Length).AsSpan().SequenceEqual(MagicBytes);

    private static bool HasGzipMagic(Stream file)
    {
        Span<byte> magic = stackalloc byte[2];
        return file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static long ReadEvents(BinaryReader reader, ISyscallSink sink, string path)
    {
        if (reader.ReadByte() != EventsSection)
        {
            throw Problem(path, "corrupted (events section missing)");
        }

        var length = reader.ReadInt64();
        if (length < 0 || length % RecordingTee.RecordSize != 0)
        {
            throw Problem(path, "corrupted (bad events length)");
        }

        var buffer = new byte[RecordingTee.RecordSize * 1024];
        long read = 0;
        while (read < length)
        {
            var chunk = (int)Math.Min(buffer.Length, length - read);
            reader.BaseStream.ReadExactly(buffer, 0, chunk);
            for (var offset = 0; offset < chunk; offset += RecordingTee.RecordSize)
            {
                sink.OnSyscall(RecordingTee.Decode(buffer.AsSpan(offset, RecordingTee.RecordSize)));
            }

            read += chunk;
        }

        return length / RecordingTee.RecordSize;
    }

    private static void WriteJson<T>(BinaryWriter writer, byte section, T value)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Json);
        writer.Write(section);
        writer.Write((long)bytes.Length);
        writer.Write(bytes);
    }

    private static T ReadJson<T>(BinaryReader reader, byte section, string path)
    {
        if (reader.ReadByte() != section)
        {
            throw Problem(path, "corrupted (sections out of order)");
        }

        var length = reader.ReadInt64();
        if (length is < 0 or > MaxJsonSection)
        {
            throw Problem(path, "corrupted (bad section length)");
        }

        // The length is a claim until the bytes arrive: copied as they come, a corrupted or forged length costs
        // no more memory than the file really holds (ReadBytes would allocate all of it up front).
        using var bytes = new MemoryStream();
        CopyExactly(reader.BaseStream, bytes, length);
        return JsonSerializer.Deserialize<T>(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), Json) ?? throw Problem(path, "corrupted (empty section)");
    }

    private static void CopyExactly(Stream from, Stream to, long length)
    {
        var buffer = new byte[1 << 16];
        long copied = 0;
        while (copied < length)
        {
            var read = from.Read(buffer, 0, (int)Math.Min(buffer.Length, length - copied));
            if (read == 0)
            {
                throw new EndOfStreamException("the spilled events ended early");
            }

            to.Write(buffer, 0, read);
            copied += read;
        }
    }

    private static AdvisorException Problem(string path, string what) => new(FailureKind.Usage, $"{path}: {what}");
}
