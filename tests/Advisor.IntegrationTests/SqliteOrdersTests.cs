using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// SQLite inserts each committed on its own (samples/SqliteOrders): four fsync per commit, on the journal,
/// the directory and the database. Which rules it triggers (ADV006, not ADV007 for the journal's churn), and
/// that its fixed twin triggers none, is <see cref="RuleMatrixTests"/>'s; here, what the finding says.
/// </summary>
public sealed class SqliteOrdersTests
{
    private const int Rows = 200;

    [SkippableFact]
    public void Autocommitted_inserts_are_one_fsync_storm_naming_the_journal_and_the_database_and_advising_a_transaction()
    {
        var traced = TracedSample.Run("SqliteOrders", "--count", Rows.ToString(System.Globalization.CultureInfo.InvariantCulture));

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        // One finding for the commits' call site, not one per file synced.
        var finding = traced.Report.Findings("ADV006").ShouldHaveSingleItem();
        var message = finding.GetProperty("message").GetString()!;
        var database = traced.Summary.Path;
        database.ShouldEndWith(".db");
        message.ShouldContain(database + "-journal");
        message.Replace(database + "-journal", "", StringComparison.Ordinal).ShouldContain(database, customMessage: message);
        // At least the journal twice, the directory and the database per row's commit.
        finding.GetProperty("evidence").GetProperty("count").GetInt64().ShouldBeGreaterThanOrEqualTo(4 * Rows, message);
        finding.GetProperty("advice")[0].GetProperty("text").GetString()!.ShouldContain("transaction");
    }
}
