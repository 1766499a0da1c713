namespace Advisor.Core.Monitoring;

/// <summary>
/// The name of evidence saved for one trigger: <c>advisor-{process}-{pid}-{yyyyMMddTHHmmssZ}-{trigger}</c>, to which
/// each file adds its ending. The process name is reduced to characters safe in any file name.
/// </summary>
public static class CollectionName
{
    public static string Of(string process, int pid, DateTimeOffset at, string trigger)
    {
        ArgumentNullException.ThrowIfNull(process);
        var safe = new string([.. process.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_')]);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"advisor-{(safe.Length == 0 ? "process" : safe)}-{pid}-{at.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{trigger}");
    }
}
