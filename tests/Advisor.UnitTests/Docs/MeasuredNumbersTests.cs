namespace Advisor.UnitTests.Docs;

/// <summary>
/// The docs quote only what was measured: every ratio and percentage in README.md, docs/*.md and bench/README.md is
/// one bench/RESULTS.md records (the rule is <see cref="MeasuredNumbers"/>'s).
/// </summary>
public class MeasuredNumbersTests
{
    private const string Results = """
        ## Web service: `bash bench/overhead/web.sh --rounds 4`

        | configuration | vs bare | recorder CPU |
        |---|---:|---:|
        | advisor | −22.1% | 11% |
        | perf-record | −14.2% | 4% |

        The storm: advisor 1.20×, perf record 1.61×; tool 8–10% of a CPU; 0.05 % lost; 1.43× and 1.49×.
        """;

    private static IReadOnlyList<string> Docs { get; } =
    [
        "README.md",
        Path.Combine("bench", "README.md"),
        .. Directory.GetFiles(RepositoryFiles.PathOf("docs"), "*.md").Select(f => Path.GetRelativePath(RepositoryFiles.Root, f)).Order(StringComparer.Ordinal),
    ];

    [Fact]
    public void Every_measured_number_in_the_docs_is_in_RESULTS_md()
    {
        var known = MeasuredNumbers.In(File.ReadAllText(RepositoryFiles.PathOf("bench", "RESULTS.md")));

        var unsourced = Docs.SelectMany(doc => MeasuredNumbers.Check(doc, File.ReadAllText(RepositoryFiles.PathOf(doc)), known)).ToList();

        unsourced.ShouldBeEmpty(
            "these numbers are not in bench/RESULTS.md: cite what it has, or mark a bar with 'bar:' (the rule: bench/README.md, "
            + "\"Numbers in the docs\")\n" + string.Join('\n', unsourced));
    }

    [Fact]
    public void The_docs_do_quote_measurements_so_the_check_is_not_vacuous()
    {
        var checkedNumbers = Docs.Sum(doc => MeasuredNumbers.Check(doc, File.ReadAllText(RepositoryFiles.PathOf(doc)), new HashSet<string>()).Count());

        checkedNumbers.ShouldBeGreaterThan(20);
    }

    [Fact]
    public void A_made_up_number_is_caught_and_a_sourced_one_accepted()
    {
        const string doc = """
            The bpf backend costs −22.1% on the web service, with the tool at 11% of a CPU.
            perf costs −30% on the web service.
            """;

        var unsourced = MeasuredNumbers.Check("fake.md", doc, MeasuredNumbers.In(Results)).ShouldHaveSingleItem();

        unsourced.ShouldBe(new MeasuredNumbers.Unsourced("fake.md", 2, "−30%"));
    }

    [Theory]
    [InlineData("lost 22.1% of its throughput")] // written without a sign: either
    [InlineData("lost -22.1% of its throughput")] // a hyphen for a minus
    [InlineData("1.20× where perf record took 1.61×")]
    [InlineData("8–10% of a CPU")] // a range as RESULTS.md has it
    [InlineData("1.43–1.49× on the storm")] // a range whose ends RESULTS.md has
    [InlineData("0.05% lost")] // a space before % or not
    [InlineData("The bar: ≤ 1.30× the bare loop, ≥ 88% of bare throughput")]
    [InlineData("`--max-regression 10%` (default `10%`)")]
    [InlineData("writes ×100,000 calls, count × 0.9, x86-64, Linux 5.11")] // no measurement form
    public void Sourced_numbers_bars_and_values_in_code_pass(string line) =>
        MeasuredNumbers.Check("fake.md", line, MeasuredNumbers.In(Results)).ShouldBeEmpty();

    [Theory]
    [InlineData("1.22× on the storm", "1.22×")]
    [InlineData("lost 2.1% of its throughput", "2.1%")] // part of 22.1%, not a number of RESULTS.md
    [InlineData("1.43–1.55× on the storm", "1.43–1.55×")] // one end unsourced
    [InlineData("about 88 % of bare", "88 %")]
    [InlineData("gained +22.1%", "+22.1%")] // RESULTS.md's is a loss
    [InlineData("lost −11% of its throughput", "−11%")] // RESULTS.md's 11% is the recorder's CPU
    [InlineData("a bar of 88% (no marker)", "88%")]
    public void Unsourced_numbers_are_caught(string line, string number) =>
        MeasuredNumbers.Check("fake.md", line, MeasuredNumbers.In(Results)).ShouldHaveSingleItem().Number.ShouldBe(number);
}
