using System.Runtime.CompilerServices;

namespace Hang;

/// <summary>Not hung, busy: two threads ("cruncher-1", "cruncher-2") count primes, no syscalls, until released.</summary>
internal sealed class Busy : IHangScenario
{
    private readonly Thread[] _crunchers = new Thread[2];
    private readonly long[] _primes = new long[2];
    private volatile bool _stop;

    public void Start()
    {
        for (int i = 0; i < _crunchers.Length; i++)
        {
            int n = i;
            _crunchers[i] = new Thread(() => _primes[n] = Crunch.Primes(n, () => _stop)) { Name = $"cruncher-{i + 1}" };
            _crunchers[i].Start();
        }

        Thread.Sleep(200);
    }

    public void Release() => _stop = true;

    public (long Completed, long Result) Finish(TimeSpan timeout)
    {
        bool done = _crunchers.All(c => c.Join(timeout));
        return (done ? _crunchers.Length : -1, _primes.Sum());
    }

    public void Dispose()
    {
    }
}

internal static class Crunch
{
    /// <summary>Counts primes by trial division, starting at a different place per thread, until told to stop.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Primes(int offset, Func<bool> stop)
    {
        long found = 0;
        for (long candidate = 3 + (2 * offset); !stop(); candidate += 4)
        {
            bool prime = true;
            for (long d = 3; d * d <= candidate; d += 2)
            {
                if (candidate % d == 0)
                {
                    prime = false;
                    break;
                }
            }

            found += prime ? 1 : 0;
        }

        return found;
    }
}
