using Advisor.Core.Aggregation;
using Advisor.Core.Failures;
using Advisor.Core.Rules;
using Advisor.Core.Threads;
using Advisor.Linux.Strace;

namespace Advisor.UnitTests.Linux;

/// <summary>strace logs through the aggregation: processes, fds, thread names, the target, and logs that are not usable.</summary>
public sealed class StraceLogImportTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-strace-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Log(params string[] lines)
    {
        var path = Path.Combine(_dir.FullName, $"log{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static (AggregateSnapshot Snapshot, Advisor.Core.Reporting.TargetInfo Target, IReadOnlyList<string> Notes) Import(string path) =>
        StraceLogImport.Load(path, StraceLogImport.Survey(path));

    private static long Count(AggregateSnapshot snapshot, string syscall) => snapshot.Rows.Where(r => r.Syscall == syscall).Sum(r => r.Stats.Count);

    [Fact]
    public void Threads_are_placed_in_their_process_even_when_they_speak_before_their_clone_returns()
    {
        var (snapshot, target, _) = Import(Log(
            "100 10:00:00.000000 execve(\"/usr/bin/dotnet\", [\"dotnet\", \"app.dll\"], 0x7ffd /* 47 vars */) = 0 <0.000254>",
            "100 10:00:00.000100 openat(AT_FDCWD, \"/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libcoreclr.so\", O_RDONLY|O_CLOEXEC) = 3 <0.000010>",
            "100 10:00:00.000200 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, child_tid=0x7f} <unfinished ...>",
            "101 10:00:00.000300 gettid() = 101 <0.000002>",
            "100 10:00:00.000400 <... clone3 resumed> => {parent_tid=[101]}, 88) = 101 <0.000150>",
            "100 10:00:00.000500 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 200 <0.000100>",
            "200 10:00:00.000600 getppid() = 100 <0.000002>"));

        snapshot.Threads.Single(t => t.Tid == 101).Pid.ShouldBe(100);
        snapshot.Threads.Single(t => t.Tid == 200).Pid.ShouldBe(200);
        target.ShouldBe(new Advisor.Core.Reporting.TargetInfo(100, "dotnet", "dotnet app.dll", "10.0.12", true));
        snapshot.Threads.Single(t => t.Tid == 100).Name.ShouldBe("dotnet");
    }

    [Fact]
    public void Files_sockets_and_pipes_are_described_as_proc_would_describe_them()
    {
        var (snapshot, _, _) = Import(Log(
            "7 10:00:00.000000 openat(AT_FDCWD, \"/var/log/app.log\", O_WRONLY|O_CREAT|O_APPEND, 0666) = 3 <0.000010>",
            "7 10:00:00.000010 write(3, \"hello\", 5) = 5 <0.000003>",
            "7 10:00:00.000020 close(3) = 0 <0.000003>",
            "7 10:00:00.000030 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3 <0.000010>",
            "7 10:00:00.000040 connect(3, {sa_family=AF_INET, sin_port=htons(5000), sin_addr=inet_addr(\"10.0.0.9\")}, 16) = -1 EINPROGRESS (Operation now in progress) <0.000040>",
            "7 10:00:00.000050 sendto(3, \"GET /\", 5, 0, NULL, 0) = 5 <0.000010>",
            "7 10:00:00.000060 pipe2([4, 5], O_CLOEXEC) = 0 <0.000010>",
            "7 10:00:00.000070 write(5, \"x\", 1) = 1 <0.000003>",
            "7 10:00:00.000080 dup2(5, 1) = 1 <0.000003>",
            "7 10:00:00.000090 write(1, \"y\", 1) = 1 <0.000003>",
            "7 10:00:00.000100 write(9</srv/data.bin>, \"z\", 1) = 1 <0.000003>",
            "7 10:00:00.000110 write(2, \"e\", 1) = 1 <0.000003>"));

        string On(string syscall, int fd) => snapshot.Rows.Single(r => r.Syscall == syscall && r.Fd?.Fd == fd && r.Stats.Count > 0 && r.Fd.Description != "").Fd!.Description;
        snapshot.Rows.Where(r => r.Syscall == "write" && r.Fd?.Fd == 3).Single().Fd!.Description.ShouldBe("/var/log/app.log");
        On("sendto", 3).ShouldBe("tcp (socket 1) → 10.0.0.9:5000");
        snapshot.Rows.Single(r => r.Syscall == "sendto").Fd!.RemoteEndpoint.ShouldBe("10.0.0.9:5000");
        On("write", 5).ShouldBe("pipe:[?]");
        snapshot.Rows.Single(r => r.Syscall == "write" && r.Fd?.Fd == 1).Fd!.Description.ShouldBe("pipe:[?]");
        On("write", 9).ShouldBe("/srv/data.bin");
        On("write", 2).ShouldBe("stderr (inherited)");
    }

    [Fact]
    public void A_folder_opened_to_list_it_is_described_as_a_directory_even_where_y_shows_its_path_bare()
    {
        var (snapshot, _, _) = Import(Log(
            "7 10:00:00.000000 openat(AT_FDCWD, \"/srv/inbox\", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3 <0.000010>",
            "7 10:00:00.000010 getdents64(3</srv/inbox>, 0x55 /* 4 entries */, 32768) = 96 <0.000003>",
            "7 10:00:00.000020 close(3</srv/inbox>) = 0 <0.000003>",
            "7 10:00:00.000030 openat(AT_FDCWD, \"/srv/inbox/order-1.xml\", O_RDONLY|O_CLOEXEC) = 3 <0.000010>",
            "7 10:00:00.000040 read(3</srv/inbox/order-1.xml>, \"<order/>\", 4096) = 8 <0.000003>",
            "7 10:00:00.000050 getdents64(4</var/spool>, 0x55 /* 2 entries */, 32768) = 48 <0.000003>"));

        snapshot.Rows.Single(r => r.Syscall == "getdents64" && r.Fd?.Fd == 3).Fd!.Description.ShouldBe("/srv/inbox/");
        snapshot.Rows.Single(r => r.Syscall == "read").Fd!.Description.ShouldBe("/srv/inbox/order-1.xml");
        // Opened before the log began, but only a directory can be listed.
        snapshot.Rows.Single(r => r.Syscall == "getdents64" && r.Fd?.Fd == 4).Fd!.Description.ShouldBe("/var/spool/");
    }

    [Fact]
    public void A_relative_path_keeps_its_calls_under_its_name()
    {
        var (snapshot, _, _) = Import(Log(
            "7 10:00:00.000000 openat(AT_FDCWD, \"out.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3 <0.000010>",
            "7 10:00:00.000010 write(3, \"hello\", 5) = 5 <0.000003>"));

        snapshot.Rows.Single(r => r.Syscall == "write").Fd!.Description.ShouldBe("out.txt");
    }

    [Fact]
    public void Thread_names_come_from_prctl_and_from_writes_to_a_thread_s_comm_file()
    {
        var (snapshot, _, _) = Import(Log(
            "7 10:00:00.000000 clone3({flags=CLONE_VM|CLONE_THREAD, child_tid=0x7f}, 88) = 8 <0.000100>",
            "7 10:00:00.000010 clone3({flags=CLONE_VM|CLONE_THREAD, child_tid=0x7f}, 88) = 9 <0.000100>",
            "8 10:00:00.000020 prctl(PR_SET_NAME, \".NET SynchManag\"...) = 0 <0.000003>",
            "7 10:00:00.000030 openat(AT_FDCWD, \"/proc/self/task/9/comm\", O_RDWR) = 15 <0.000054>",
            "7 10:00:00.000040 write(15, \".NET TP Worker\", 14) = 14 <0.000039>",
            "7 10:00:00.000050 close(15) = 0 <0.000039>",
            "9 10:00:00.000060 read(0, \"\", 10) = 0 <0.000003>"));

        snapshot.Threads.Single(t => t.Tid == 8).Name.ShouldBe(".NET SynchManag");
        var worker = snapshot.Threads.Single(t => t.Tid == 9);
        worker.Name.ShouldBe(".NET TP Worker");
        worker.Role.ShouldBe(ThreadRole.ThreadPoolWorker);
    }

    [Fact]
    public void Mapping_lengths_and_protections_reach_the_memory_metrics()
    {
        var (snapshot, _, _) = Import(Log(
            "7 10:00:00.000000 mmap(NULL, 67112960, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000 <0.000010>",
            "7 10:00:00.000010 mmap(NULL, 274877906944, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7e0000000000 <0.000010>"));

        snapshot.Rows.Single(r => r.Syscall == "mmap").Stats.Bytes.ShouldBe(67112960);
    }

    [Fact]
    public void Interrupted_calls_take_their_start_from_the_first_half_and_their_time_from_the_second()
    {
        var (snapshot, _, _) = Import(Log(
            "7 10:00:00.000000 read(3,  <unfinished ...>",
            "8 10:00:00.000100 getpid() = 7 <0.000002>",
            "7 10:00:00.500000 <... read resumed>\"abc\", 4096) = 3 <0.500000>",
            "8 10:00:00.600000 exit_group(0) = ?",
            "8 10:00:00.600100 +++ exited with 0 +++"));

        var read = snapshot.Rows.Single(r => r.Syscall == "read");
        read.Stats.TotalNs.ShouldBe(500_000_000);
        read.Stats.Bytes.ShouldBe(3);
        snapshot.Rows.ShouldNotContain(r => r.Syscall == "exit_group");
        snapshot.DurationSeconds.ShouldBe(0.6001, 1e-9);
    }

    [Fact]
    public void A_log_that_runs_past_midnight_keeps_its_clock_running()
    {
        var (snapshot, _, _) = Import(Log(
            "7 23:59:59.900000 getpid() = 7 <0.000002>",
            "7 00:00:00.100000 getpid() = 7 <0.000002>"));

        snapshot.DurationSeconds.ShouldBe(0.200002, 1e-9);
    }

    [Fact]
    public void A_torn_last_line_and_unknown_syscalls_are_notes_not_failures()
    {
        var (snapshot, _, notes) = Import(Log(
            "7 10:00:00.000000 getpid() = 7 <0.000002>",
            "7 10:00:00.000010 syscall_0x1b6(0x1, 0x2) = -1 ENOSYS (Function not implemented) <0.000002>",
            "7 10:00:00.000020 pwrite64(3, \"abc"));

        Count(snapshot, "getpid").ShouldBe(1);
        notes.ShouldContain(n => n.Contains("1 lines were not strace output", StringComparison.Ordinal) && n.Contains("line 3", StringComparison.Ordinal));
        notes.ShouldContain(n => n.Contains("syscall_0x1b6", StringComparison.Ordinal));
    }

    [Fact]
    public void A_storm_in_a_log_is_found_by_the_rules_with_its_path()
    {
        var lines = new List<string> { "7 10:00:00.000000 openat(AT_FDCWD, \"/var/log/audit.log\", O_WRONLY|O_CREAT|O_APPEND, 0666) = 3 <0.000010>" };
        for (var i = 0; i < 5_000; i++)
        {
            lines.Add($"7 10:00:00.{i * 100 + 100:D6} pwrite64(3, \"0123456789abcdef\", 16, {i * 16}) = 16 <0.000020>");
        }

        var (snapshot, _, _) = Import(Log([.. lines]));

        var finding = RuleEngine.Run(RuleCatalog.BuiltIn(), snapshot).ShouldHaveSingleItem();
        finding.RuleId.ShouldBe("ADV002");
        finding.Message.ShouldStartWith("pwrite64 ×5,000 (16 B avg) on /var/log/audit.log");
    }

    [Fact]
    public void A_connection_per_request_is_connection_churn_not_a_file_reopened()
    {
        var lines = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            var at = $"10:00:00.{i * 1000:D6}";
            lines.Add($"7 {at} socket(AF_INET6, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 61 <0.000010>");
            lines.Add($"7 {at} connect(61, {{sa_family=AF_INET6, sin6_port=htons(43569), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::ffff:127.0.0.1\", &sin6_addr), sin6_scope_id=0}}, 28) = 0 <0.000080>");
            lines.Add($"7 {at} close(61) = 0 <0.000010>");
        }

        var (snapshot, _, _) = Import(Log([.. lines]));

        var finding = RuleEngine.Run(RuleCatalog.BuiltIn(), snapshot).ShouldHaveSingleItem();
        finding.RuleId.ShouldBe("ADV012");
        finding.Message.ShouldContain("to 127.0.0.1:43569");
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("just some text\nand more text", "neither a dotnet-advisor recording nor an strace log")]
    [InlineData("7 getpid() = 7 <0.000002>", "no timestamps")]
    public void Files_that_are_not_usable_logs_are_one_line_naming_the_fix(string content, string problem)
    {
        var path = Path.Combine(_dir.FullName, "bad.log");
        File.WriteAllText(path, content);

        var e = Should.Throw<AdvisorException>(() => StraceLogImport.Survey(path));

        e.Kind.ShouldBe(FailureKind.Usage);
        e.Message.ShouldContain(problem);
        e.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void A_log_mostly_corrupted_is_refused_naming_the_first_bad_line()
    {
        var lines = Enumerable.Range(0, 50).Select(i => i % 2 == 0 ? $"7 10:00:00.{i:D6} getpid() = 7 <0.000002>" : $"\u0007\u0003{i}garbage").ToArray();

        var e = Should.Throw<AdvisorException>(() => StraceLogImport.Survey(Log(lines)));

        e.Message.ShouldContain("25 of 50 lines are not strace output (the first is line 2)");
    }

    [Fact]
    public void A_binary_file_without_line_breaks_is_refused_without_reading_it_into_memory()
    {
        var path = Path.Combine(_dir.FullName, "blob.bin");
        var blob = new byte[(StraceLogReader.MaxLineChars * 2) + 10];
        new Random(7).NextBytes(blob);
        blob.AsSpan().Replace((byte)'\n', (byte)'x');
        File.WriteAllBytes(path, blob);

        Should.Throw<AdvisorException>(() => StraceLogImport.Survey(path)).Message.ShouldContain("neither");
    }
}
