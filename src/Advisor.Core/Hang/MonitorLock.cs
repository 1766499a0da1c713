namespace Advisor.Core.Hang;

/// <summary>A .NET Monitor (a <c>lock</c>) that a thread holds, as the runtime's sync-block table shows it.</summary>
/// <param name="Address">The locked object's address: its identity in this snapshot.</param>
/// <param name="TypeName">The locked object's type ("MyApp.Account").</param>
/// <param name="OwnerTid">The OS thread id of the holder.</param>
/// <param name="WaiterTids">OS thread ids of the threads found waiting to enter it.</param>
public sealed record MonitorLock(ulong Address, string TypeName, int OwnerTid, IReadOnlyList<int> WaiterTids);
