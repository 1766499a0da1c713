using System.Runtime.CompilerServices;

namespace Hang;

/// <summary>
/// ADV016: two transfers take the same two locks (an Account and a Ledger) in opposite orders, with a
/// barrier between the first lock and the second: each thread holds one and waits in Monitor.Enter for the
/// other, forever. Released by interrupting transfer-b-a (a thread waiting in Monitor.Enter is
/// interruptible): it lets go of the Ledger, transfer-a-b completes, then transfer-b-a retries in order.
/// </summary>
internal sealed class Deadlock : IHangScenario
{
    private readonly Bank _bank = new();
    private readonly Barrier _bothHoldOne = new(2);
    private readonly Thread _aToB;
    private readonly Thread _bToA;

    public Deadlock()
    {
        _aToB = new Thread(() => _bank.TransferAtoB(_bothHoldOne)) { Name = "transfer-a-b" };
        _bToA = new Thread(() => _bank.TransferBtoA(_bothHoldOne)) { Name = "transfer-b-a" };
    }

    public void Start()
    {
        _aToB.Start();
        _bToA.Start();
        // Both hold their first lock once the barrier opens; give them a moment to block on the second.
        while (_bothHoldOne.CurrentPhaseNumber == 0)
        {
            Thread.Sleep(10);
        }

        Thread.Sleep(200);
    }

    public void Release() => _bToA.Interrupt();

    public (long Completed, long Result) Finish(TimeSpan timeout)
    {
        bool done = _aToB.Join(timeout) && _bToA.Join(timeout);
        return (done ? _bank.Transfers : -1, _bank.Account.Balance + _bank.Ledger.Balance);
    }

    public void Dispose() => _bothHoldOne.Dispose();
}

internal sealed class Account
{
    public long Balance { get; set; } = 100;
}

internal sealed class Ledger
{
    public long Balance { get; set; } = 100;
}

internal sealed class Bank
{
    private long _transfers;

    public Account Account { get; } = new();

    public Ledger Ledger { get; } = new();

    public long Transfers => Interlocked.Read(ref _transfers);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void TransferAtoB(Barrier bothHoldOne)
    {
        lock (Account)
        {
            bothHoldOne.SignalAndWait();
            lock (Ledger)
            {
                Move(10);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void TransferBtoA(Barrier bothHoldOne)
    {
        try
        {
            lock (Ledger)
            {
                bothHoldOne.SignalAndWait();
                lock (Account)
                {
                    Move(-10);
                }
            }
        }
        catch (ThreadInterruptedException)
        {
            // Released: the Ledger was let go on the way out; retry in the order transfer-a-b uses.
            lock (Account)
            {
                lock (Ledger)
                {
                    Move(-10);
                }
            }
        }
    }

    private void Move(long amount)
    {
        Account.Balance -= amount;
        Ledger.Balance += amount;
        Interlocked.Increment(ref _transfers);
    }
}
