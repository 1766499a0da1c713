namespace Advisor.IntegrationTests.Support;

/// <summary>
/// How far samples/UnbufferedWriter got, from its file: one 16-byte record per write (its default size), so the
/// length says how many calls it made — the target's own account of its work, to wait on.
/// </summary>
internal static class WrittenRecords
{
    public static long In(string path) => File.Exists(path) ? new FileInfo(path).Length / 16 : 0;

    /// <summary>Waits until the file holds at least <paramref name="records"/> records.</summary>
    public static void WaitFor(string path, long records, string what) =>
        TargetThreads.Until(() => In(path) >= records, $"{what}: fewer than {records:N0} records written");
}
