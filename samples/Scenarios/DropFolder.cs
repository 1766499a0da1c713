using System.Threading.Channels;

namespace Scenarios;

/// <summary>
/// A drop folder polled by listing it: a producer drops N .xml files into a folder, five every 25 ms; the
/// consumer lists the folder, sleeping 2 ms whenever it is empty (<c>Directory.EnumerateFiles(dir, "*.xml")</c>:
/// an opendir per listing), and takes what it finds. The fixed twin lets a FileSystemWatcher tell it of each file, and lists once at
/// start for what was there before it watched.
/// </summary>
internal static class DropFolder
{
    // Five files every 25 ms: a sender's batches. (A sleep per file would be a polling loop of its own.)
    private const int Batch = 5;
    private static readonly TimeSpan BatchEvery = TimeSpan.FromMilliseconds(25);

    // On a loaded machine the consumer's 2 ms sleeps last far longer, and a producer on the clock alone would drop its
    // files between a handful of listings: the poll the sample shows would fade. So a batch also waits (1 s at most)
    // for the consumer to have found the folder empty this many times since the last one; on idle cores 25 ms hold
    // about a dozen such listings, and it does not wait at all.
    private const int EmptyListingsPerBatch = 10;
    private static readonly TimeSpan MostPerBatch = TimeSpan.FromSeconds(1);

    /// <returns>Files taken, and the listings the consumer made (each an openat of the folder, getdents64 and a close).</returns>
    public static (long Taken, long Syscalls) Run(int files, bool isFixed)
    {
        var dir = Directory.CreateTempSubdirectory("advisor-drop-").FullName;
        try
        {
            using var emptyListings = new SemaphoreSlim(0);
            var producer = new Thread(() => Produce(dir, files, isFixed ? null : emptyListings)) { Name = "producer" };
            var (taken, listings) = isFixed ? Watch(dir, files, producer) : Poll(dir, files, producer, emptyListings);
            producer.Join();
            return (taken, listings);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Produce(string dir, int files, SemaphoreSlim? emptyListings)
    {
        for (int i = 0; i < files; i++)
        {
            if (i % Batch == 0)
            {
                Thread.Sleep(BatchEvery);
                if (emptyListings is not null)
                {
                    AwaitListings(emptyListings);
                }
            }

            // Written under another name and renamed: the consumer never sees a half-written file.
            var temp = Path.Combine(dir, $"order-{i}.tmp");
            File.WriteAllText(temp, $"<order id=\"{i}\"/>");
            File.Move(temp, Path.Combine(dir, $"order-{i}.xml"));
        }
    }

    /// <summary>Waits for the consumer's empty listings since the last batch (those made meanwhile count), then forgets the rest.</summary>
    private static void AwaitListings(SemaphoreSlim emptyListings)
    {
        var until = DateTime.UtcNow + MostPerBatch;
        for (var seen = 0; seen < EmptyListingsPerBatch; seen++)
        {
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !emptyListings.Wait(left))
            {
                break;
            }
        }

        while (emptyListings.Wait(0))
        {
        }
    }

    private static (long Taken, long Listings) Poll(string dir, int files, Thread producer, SemaphoreSlim emptyListings)
    {
        producer.Start();
        long taken = 0, listings = 0;
        // Bounded: every file is dropped within files / 5 × (25 ms + 1 s) (and some), or the loop gives up 20 s after that.
        var deadline = DateTime.UtcNow.AddSeconds(20 + (files / Batch * (BatchEvery + MostPerBatch).TotalSeconds));
        while (taken < files && DateTime.UtcNow < deadline)
        {
            listings++;
            if (!Directory.EnumerateFiles(dir, "*.xml").Any())
            {
                emptyListings.Release();
                Thread.Sleep(2);
                continue;
            }

            listings++;
            foreach (var file in Directory.EnumerateFiles(dir, "*.xml").ToList())
            {
                taken += Take(file);
            }
        }

        return (taken, listings);
    }

    private static (long Taken, long Listings) Watch(string dir, int files, Thread producer)
    {
        var arrived = Channel.CreateUnbounded<string>();
        using var watcher = new FileSystemWatcher(dir, "*.xml");
        // The producer renames each file into place: a Renamed event, not Created.
        watcher.Renamed += (_, e) => arrived.Writer.TryWrite(e.FullPath);
        watcher.Created += (_, e) => arrived.Writer.TryWrite(e.FullPath);
        watcher.EnableRaisingEvents = true;
        producer.Start();

        long taken = 0;
        // What was there before the watcher started (nothing here, but a service restarting would find some).
        foreach (var file in Directory.EnumerateFiles(dir, "*.xml"))
        {
            taken += Take(file);
        }

        while (taken < files && arrived.Reader.WaitToReadAsync().AsTask().Wait(TimeSpan.FromSeconds(20)))
        {
            while (arrived.Reader.TryRead(out var file))
            {
                taken += Take(file);
            }
        }

        return (taken, 1);
    }

    /// <summary>Reads and deletes a dropped file; 0 when another pass (or event) took it first.</summary>
    private static long Take(string file)
    {
        try
        {
            var order = File.ReadAllText(file);
            File.Delete(file);
            return order.StartsWith("<order", StringComparison.Ordinal) ? 1 : 0;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }
}
