using Advisor.Linux.Perf;

namespace Advisor.UnitTests.Perf;

public class OnlineCpusTests
{
    [Theory]
    [InlineData("0", new[] { 0 })]
    [InlineData("0-3\n", new[] { 0, 1, 2, 3 })]
    [InlineData("0-3,6,8-9", new[] { 0, 1, 2, 3, 6, 8, 9 })]
    [InlineData("2,4-5", new[] { 2, 4, 5 })]
    public void The_kernels_cpu_list_format_is_parsed(string list, int[] expected) =>
        OnlineCpus.Parse(list).ShouldBe(expected);

    [Fact]
    public void This_machines_online_cpus_are_read()
    {
        var cpus = OnlineCpus.Read();

        cpus.ShouldNotBeEmpty();
        cpus.ShouldBeUnique();
        cpus.ShouldAllBe(c => c >= 0);
    }
}
