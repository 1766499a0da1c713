namespace Advisor.Core.Aggregation;

/// <summary>
/// Syscall counts per time bucket and syscall number, for rates over time and the report's timeline.
/// Buckets start at one second and double in width whenever the recording outgrows <see cref="MaxBuckets"/>,
/// so memory stays fixed however long the recording.
/// </summary>
public sealed class Timeline
{
    public const int MaxBuckets = 1024;

    private readonly long _originNs;
    private readonly Dictionary<int, long[]> _counts = new();
    private long _widthNs = 1_000_000_000;
    private int _lastNumber = -1;
    private long[]? _lastRow;

    public Timeline(long originNs) => _originNs = originNs;

    public long BucketWidthNs => _widthNs;

    public long OriginNs => _originNs;

    /// <summary>Buckets in use: one past the last bucket that holds a count.</summary>
    public int Length { get; private set; }

    public void Add(int number, long timeNs)
    {
        var offset = timeNs - _originNs;
        // Rings are drained one after another, so a few events may predate the origin by microseconds.
        var bucket = offset <= 0 ? 0 : offset / _widthNs;
        while (bucket >= MaxBuckets)
        {
            Coarsen();
            bucket = offset / _widthNs;
        }

        if (number != _lastNumber || _lastRow is null)
        {
            if (!_counts.TryGetValue(number, out _lastRow))
            {
                _lastRow = new long[MaxBuckets];
                _counts[number] = _lastRow;
            }

            _lastNumber = number;
        }

        _lastRow[bucket]++;
        if (bucket >= Length)
        {
            Length = (int)bucket + 1;
        }
    }

    public IReadOnlyDictionary<int, long[]> Counts => _counts;

    private void Coarsen()
    {
        foreach (var row in _counts.Values)
        {
            for (var i = 0; i < MaxBuckets / 2; i++)
            {
                row[i] = row[2 * i] + row[(2 * i) + 1];
            }

            Array.Clear(row, MaxBuckets / 2, MaxBuckets / 2);
        }

        _widthNs *= 2;
        Length = (Length + 1) / 2;
    }
}
