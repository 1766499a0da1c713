using System.Collections.Concurrent;

namespace CleanService;

/// <summary>The service's state: a concurrent map, so requests on many threads never queue on a lock.</summary>
internal sealed class Inventory
{
    private readonly ConcurrentDictionary<int, int> _reserved = new();

    public Item Get(int id) => new(id, $"item-{id}", _reserved.GetValueOrDefault(id));

    public Item Reserve(int id) => new(id, $"item-{id}", _reserved.AddOrUpdate(id, 1, (_, n) => n + 1));
}

internal sealed record Item(int Id, string Name, int Reserved);
