using Advisor.Core.Findings;
using Advisor.Core.Rules;

namespace Advisor.Core.Hang.Verdicts;

/// <summary>Cycles of threads each waiting for a Monitor the next one holds (rules/ADV016-deadlock.yaml).</summary>
internal sealed class DeadlockAnalyser : IHangAnalyser
{
    public AnalyserDescriptor Descriptor => AnalyserDescriptor.LockCycle;

    public VerdictKind Verdict => VerdictKind.Deadlock;

    public string NextStep =>
        "A lock deadlock does not resolve: capture a dump if you need one (dotnet-dump collect), restart the process, and fix the lock order in the stacks shown.";

    public IEnumerable<Finding> Find(HangSnapshot snapshot, RuleDefinition rule)
    {
        if (snapshot.Runtime is null)
        {
            yield break;
        }

        var threads = snapshot.Threads.ToDictionary(t => t.Tid);
        var heldBy = snapshot.Runtime.Locks.ToLookup(l => l.OwnerTid);
        foreach (var cycle in LockCycle.Find(snapshot.Runtime.Locks))
        {
            var members = cycle.Links.Select(l => threads.GetValueOrDefault(l.Tid)).OfType<HangThread>().ToList();
            if (members.Count != cycle.Links.Count)
            {
                continue; // a thread of the cycle is gone: the runtime's table was stale
            }

            var parts = cycle.Links.Select(link =>
            {
                var thread = threads[link.Tid];
                var holds = heldBy[link.Tid].Select(l => l.TypeName).Distinct();
                return $"{HangFindings.Name(thread)} holds {string.Join(", ", holds)} and waits for {link.WaitsFor.TypeName}"
                    + HangFindings.From(thread);
            });
            var message = $"{members.Count} threads wait on each other: {string.Join("; ", parts)}";
            yield return HangFindings.Create(rule, message, members, "futex", null, null);
        }
    }
}
