using System.IO.Compression;
using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Recording;
using Advisor.Core.Reporting;
using Advisor.Core.Rules;
using Advisor.Core.Runtime;
using Advisor.Core.Stacks;
using Advisor.UnitTests.Aggregation;

namespace Advisor.UnitTests.Recording;

/// <summary>A `.advisor` recording: what is written is what `report` analyses, and bad files are one clear error.</summary>
public sealed class RecordingFileTests : IDisposable
{
    private const int Pid = 10;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-rec-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>
    /// A live-like run: unbuffered writes to a log whose fd is later reused for another file; when
    /// <paramref name="observed"/>, the runtime also streams its events to the tool on fd 9.
    /// </summary>
    private (AggregateSnapshot Live, string Path) Record(bool observed = false)
    {
        var fake = new FakeIntrospector();
        fake.Fds[(Pid, 3)] = "/var/log/app.log";
        fake.Fds[(Pid, 9)] = "unix socket";
        if (observed)
        {
            fake.ObserverFds.Add((Pid, 9));
        }

        fake.ThreadNames[Pid] = "app";
        var recording = new RecordingIntrospector(fake);
        var aggregator = new SyscallAggregator(SyscallStream.Catalog, recording, SyscallStream.OriginNs);
        var spill = Path.Combine(_dir.FullName, "events.spill");
        using var tee = new RecordingTee(aggregator, spill);
        var write = SyscallStream.Nr("pwrite64");
        for (var i = 0; i < 20_000; i++)
        {
            tee.OnSyscall(new SyscallEvent(Pid, Pid, write, SyscallStream.OriginNs + (i * 50_000L), 3_000, 16, 3, 0, 16, StackId: 7));
            if (observed && i % 100 == 0)
            {
                tee.OnSyscall(new SyscallEvent(Pid, Pid + 2, SyscallStream.Nr("sendto"), SyscallStream.OriginNs + (i * 50_000L) + 10_000, 20_000, 5_000, 9, 0, 5_000));
            }
        }

        // The log is closed and its number reused: /proc now says something else, as it did live.
        tee.OnSyscall(new SyscallEvent(Pid, Pid, SyscallStream.Nr("close"), SyscallStream.OriginNs + 1_000_000_000, 1_000, 0, 3, 0, 0));
        fake.Fds[(Pid, 3)] = "/etc/other";
        tee.OnSyscall(new SyscallEvent(Pid, Pid, SyscallStream.Nr("fstat"), SyscallStream.OriginNs + 1_000_100_000, 1_000, 0, 3, 0, 0));
        var stacks = new Dictionary<int, CallStack> { [7] = new([new StackFrame("System.IO.FileStream.Write", FrameKind.Framework), new StackFrame("MyApp.Log.Write", FrameKind.User)]) };
        var live = new AggregateSnapshot(aggregator.Snapshot(SyscallStream.OriginNs + 2_000_000_000L)) { Stacks = new CallStacks(stacks) };

        var path = Path.Combine(_dir.FullName, "run.advisor");
        using (var output = File.Create(path))
        {
            var metadata = new RecordingMetadata("0.1.0", "x86_64", new TargetInfo(Pid, "app", "app", null, false), "perf", live.StartNs, live.EndNs, 0, ["a note"]);
            RecordingFile.Write(output, metadata, tee.OpenEvents(), tee.Events, recording.Answers, new RecordedAnalysis(stacks, RuntimeSnapshot.None, new Dictionary<int, CallStack>(), live.Threads));
        }

        return (live, path);
    }

    [Fact]
    public void Replaying_a_recording_gives_the_live_snapshots_findings_exactly()
    {
        var (live, path) = Record();

        var (replayed, metadata) = Replay.Load(path, _ => SyscallStream.Catalog);

        metadata.Notes.ShouldBe(["a note"]);
        replayed.EventsTotal.ShouldBe(live.EventsTotal);
        replayed.Rows.Select(r => (r.Syscall, r.Fd?.Description, r.Stats.Count)).ShouldBe(live.Rows.Select(r => (r.Syscall, r.Fd?.Description, r.Stats.Count)));
        var catalog = RuleCatalog.BuiltIn();
        var expected = RuleEngine.Run(catalog, live).Select(f => f.Message).ToList();
        expected.ShouldNotBeEmpty();
        RuleEngine.Run(catalog, replayed).Select(f => f.Message).ShouldBe(expected);
    }

    [Fact]
    public void Answers_keep_the_one_letter_kinds_recordings_have_always_had()
    {
        var (_, path) = Record();

        var recording = RecordingFile.Read(path, (_, _) => new Perf.RecordingSink());

        recording.Answers.Select(a => a.Kind).Distinct().Order().ShouldBe([IntrospectionQuestion.DescribeFd, IntrospectionQuestion.ThreadName]);
        using var gz = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
        using var text = new StreamReader(gz, System.Text.Encoding.Latin1);
        var content = text.ReadToEnd();
        content.ShouldContain("\"kind\":\"d\"");
        content.ShouldContain("\"kind\":\"t\"");
        content.ShouldNotContain("\"observer\""); // written only where it is true
    }

    [Fact]
    public void A_replay_keeps_the_observers_calls_apart_as_the_live_run_did()
    {
        var (live, path) = Record(observed: true);

        var (replayed, _) = Replay.Load(path, _ => SyscallStream.Catalog);

        live.ObserverRows.Single().Stats.Count.ShouldBe(200);
        replayed.ObserverRows.Select(r => (r.Syscall, r.Tid, r.Stats.Count, r.Stats.Bytes))
            .ShouldBe(live.ObserverRows.Select(r => (r.Syscall, r.Tid, r.Stats.Count, r.Stats.Bytes)));
        replayed.Rows.ShouldNotContain(r => r.Syscall == "sendto");
        replayed.EventsTotal.ShouldBe(live.EventsTotal);
        RecordingFile.Read(path, (_, _) => new Perf.RecordingSink()).Answers.Count(a => a.Observer).ShouldBe(1);
    }

    [Fact]
    public void A_truncated_recording_is_one_line_naming_the_file()
    {
        var (_, path) = Record();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Should.Throw<AdvisorException>(() => Replay.Load(path, _ => SyscallStream.Catalog));

        e.Kind.ShouldBe(FailureKind.Usage);
        e.Message.ShouldBe($"{path}: truncated or corrupted (the file ends early or does not decompress)");
    }

    [Fact]
    public void A_recording_whose_gzip_checksum_does_not_match_is_refused()
    {
        var (_, path) = Record();
        var bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0xFF; // in the trailer's CRC32: every section still decompresses as written
        File.WriteAllBytes(path, bytes);

        var e = Should.Throw<AdvisorException>(() => Replay.Load(path, _ => SyscallStream.Catalog));

        e.Kind.ShouldBe(FailureKind.Usage);
        e.Message.ShouldBe($"{path}: truncated or corrupted (the file ends early or does not decompress)");
    }

    [Fact]
    public void A_recording_that_goes_on_after_its_end_marker_is_refused()
    {
        var (_, path) = Record();
        byte[] content;
        using (var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
        using (var inflated = new MemoryStream())
        {
            gzip.CopyTo(inflated);
            content = [.. inflated.ToArray(), .. new byte[64]];
        }

        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        Should.Throw<AdvisorException>(() => Replay.Load(path, _ => SyscallStream.Catalog))
            .Message.ShouldBe($"{path}: corrupted (data after the end marker)");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ \"schemaVersion\": 1 }")]
    public void A_file_that_is_not_a_recording_says_so(string content)
    {
        var path = Path.Combine(_dir.FullName, "x.advisor");
        File.WriteAllText(path, content);

        var e = Should.Throw<AdvisorException>(() => Replay.Load(path, _ => SyscallStream.Catalog));

        e.Message.ShouldStartWith($"{path}: ");
        e.Message.ShouldNotContain('\n');
    }
}
