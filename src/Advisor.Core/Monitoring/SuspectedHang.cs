namespace Advisor.Core.Monitoring;

/// <summary>Threads that look stuck: reason enough to run the real triage.</summary>
public sealed record SuspectedHang(IReadOnlyList<StuckThread> Threads)
{
    /// <summary>"transfer-a-b (futex, 3 s), transfer-b-a (futex, 3 s)"; past three, how many more (a starved pool has dozens).</summary>
    public string Describe() => string.Join(", ", Threads.Take(3).Select(t => string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $"{t.Name} ({t.Syscall}, {t.StuckFor.TotalSeconds:0.#} s)")))
        + (Threads.Count > 3 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" and {Threads.Count - 3} more") : "");
}

/// <summary>One thread sitting in an endless wait, and for how long it was seen there at least.</summary>
public sealed record StuckThread(int Tid, string Name, string Syscall, TimeSpan StuckFor);
