using Advisor.Linux.Strace;
using Advisor.Linux.Syscalls;

namespace Advisor.UnitTests.Linux;

/// <summary>Lines and values of strace output as strace 6 prints them, split and read.</summary>
public class StraceLineTests
{
    private const long Ms = 1_000_000;

    [Fact]
    public void A_line_of_strace_f_o_has_the_thread_the_time_of_day_and_the_duration()
    {
        var line = StraceLineParser.Parse("31098 14:44:04.796793 openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3 <0.000046>");

        line.Kind.ShouldBe(StraceLineKind.Complete);
        line.Tid.ShouldBe(31098);
        line.TimeNs.ShouldBe((((14 * 3600) + (44 * 60) + 4) * 1000 * Ms) + 796_793_000);
        line.Name.ShouldBe("openat");
        line.Arguments.ShouldBe("AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC");
        line.Result.ShouldBe("3");
        line.DurationNs.ShouldBe(46_000);
    }

    [Fact]
    public void Terminal_output_prefixes_threads_with_brackets_and_the_first_process_with_nothing()
    {
        StraceLineParser.Parse("[pid  4242] 10:00:00.000001 getpid() = 4240 <0.000002>").Tid.ShouldBe(4242);
        var unprefixed = StraceLineParser.Parse("10:00:00.5 getpid() = 4240");
        unprefixed.Tid.ShouldBe(0);
        unprefixed.TimeNs.ShouldBe((36_000L * 1000 * Ms) + (500 * Ms));
        unprefixed.DurationNs.ShouldBe(-1);
    }

    [Fact]
    public void Epoch_timestamps_of_ttt_are_read_exactly()
    {
        StraceLineParser.Parse("7 1700000000.123456 close(3) = 0 <0.000010>").TimeNs.ShouldBe(1_700_000_000_123_456_000);
    }

    [Fact]
    public void An_interrupted_call_is_an_unfinished_half_and_a_resumed_half()
    {
        var first = StraceLineParser.Parse("31098 14:44:04.842373 futex(0x55e609b55580, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>");
        var second = StraceLineParser.Parse("31098 14:44:04.842859 <... futex resumed>) = 0 <0.000480>");

        first.Kind.ShouldBe(StraceLineKind.Unfinished);
        first.Arguments.ShouldEndWith("FUTEX_BITSET_MATCH_ANY");
        second.Kind.ShouldBe(StraceLineKind.Resumed);
        second.Name.ShouldBe("futex");
        second.Result.ShouldBe("0");
        second.DurationNs.ShouldBe(480_000);
    }

    [Theory]
    [InlineData("31098 14:44:05.719978 exit_group(0)     = ?", "?")]
    [InlineData("3 14:44:05.7 read(3, \"a) = b\", 5) = 5 <0.000003>", "5")]
    [InlineData("3 14:44:05.7 poll([{fd=3, events=POLLIN}], 1, 0) = 1 ([{fd=3, revents=POLLIN}]) <0.000003>", "1 ([{fd=3, revents=POLLIN}])")]
    [InlineData("3 14:44:05.7 access(\"/x\", R_OK) = -1 ENOENT (No such file or directory) <0.000046>", "-1 ENOENT (No such file or directory)")]
    public void The_result_is_what_follows_the_last_equals_sign(string text, string result)
    {
        StraceLineParser.Parse(text).Result.ShouldBe(result);
    }

    [Theory]
    [InlineData("31105 14:44:05.711008 +++ exited with 0 +++")]
    [InlineData("31098 14:44:05.7 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED} ---")]
    [InlineData("strace: Process 4242 attached")]
    [InlineData(" > /usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x1d) [0x10e1fd]")]
    [InlineData("")]
    public void Signals_exits_and_strace_messages_are_not_calls(string text)
    {
        StraceLineParser.Parse(text).Kind.ShouldBe(StraceLineKind.Other);
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("12 14:44:05.7 no parenthesis here")]
    [InlineData("\u0001\u0002garbage(((")]
    [InlineData("12 99:99 write(1, \"x\", 1) = 1")]
    public void Anything_else_is_not_understood(string text)
    {
        StraceLineParser.Parse(text).Kind.ShouldBe(StraceLineKind.Unknown);
    }

    [Fact]
    public void Arguments_split_at_top_level_commas_only()
    {
        StraceArguments.Split("3, \"a, \\\"b\\\"\", [1, 2], {x=1, y=2}, 16").ShouldBe(["3", "\"a, \\\"b\\\"\"", "[1, 2]", "{x=1, y=2}", "16"]);
        StraceArguments.Split("1, 2, 3, 4", max: 2).ShouldBe(["1", "2"]);
    }

    [Theory]
    [InlineData("3", 3UL)]
    [InlineData("3</var/log/app.log>", 3UL)]
    [InlineData("0x7fc9f5d41000", 0x7fc9f5d41000UL)]
    [InlineData("0666", 438UL)]
    [InlineData("O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC", 0x80441UL)]
    [InlineData("PROT_NONE", 0UL)]
    [InlineData("PROT_READ|PROT_WRITE", 3UL)]
    [InlineData("MADV_DONTNEED", 4UL)]
    [InlineData("NULL", 0UL)]
    [InlineData("\"text\"", 0UL)]
    [InlineData("AT_FDCWD", 18446744073709551516UL)]
    [InlineData("-1", ulong.MaxValue)]
    public void Numbers_flags_and_constants_are_read_as_the_kernel_saw_them(string text, ulong value)
    {
        StraceArguments.Number(text).ShouldBe(value);
    }

    [Fact]
    public void Strings_are_unescaped_and_decorations_read()
    {
        StraceArguments.String("\"a\\tb\\n\\303\\251\\x41\"").ShouldBe("a\tb\né\u0041");
        StraceArguments.String("\".NET SynchManag\"...").ShouldBe(".NET SynchManag");
        StraceArguments.String("3").ShouldBeNull();
        StraceArguments.Decoration("3</var/log/app.log>").ShouldBe("/var/log/app.log");
        StraceArguments.Decoration("\"<html>\"").ShouldBeNull();
    }

    [Theory]
    [InlineData("{sa_family=AF_INET, sin_port=htons(5000), sin_addr=inet_addr(\"127.0.0.1\")}", "127.0.0.1:5000")]
    [InlineData("{sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}", "[::1]:443")]
    [InlineData("{sa_family=AF_INET6, sin6_port=htons(43569), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::ffff:127.0.0.1\", &sin6_addr), sin6_scope_id=0}", "127.0.0.1:43569")]
    [InlineData("{sa_family=AF_UNIX, sun_path=\"/run/app.sock\"}", "unix /run/app.sock")]
    [InlineData("0x7ffd490a0f58", null)]
    public void Socket_addresses_are_spelled_as_proc_spells_peers(string text, string? peer)
    {
        StraceArguments.SocketAddress(text).ShouldBe(peer);
    }

    [Theory]
    [InlineData("16", 16L)]
    [InlineData("0x7fc9f5d41000", 0x7fc9f5d41000L)]
    [InlineData("-1 ENOENT (No such file or directory)", -2L)]
    [InlineData("-1 EAGAIN (Resource temporarily unavailable)", -11L)]
    [InlineData("? ERESTARTSYS (To be restarted if SA_RESTART is set)", -512L)]
    [InlineData("3</tmp/x>", 3L)]
    [InlineData("1 ([{fd=3, revents=POLLIN}])", 1L)]
    public void Results_become_raw_return_values(string text, long value)
    {
        StraceResult.TryParse(text, LinuxTables.Errno("x86_64"), out var ret).ShouldBeTrue();
        ret.ShouldBe(value);
    }

    [Fact]
    public void A_call_that_never_returned_has_no_result()
    {
        StraceResult.TryParse("?", LinuxTables.Errno("x86_64"), out _).ShouldBeFalse();
    }
}
