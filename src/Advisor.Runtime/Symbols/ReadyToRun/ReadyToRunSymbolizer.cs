using Advisor.Linux.Symbols;

namespace Advisor.Runtime.Symbols.ReadyToRun;

/// <summary>
/// Names frames in the precompiled code of ReadyToRun assemblies from the images on disk: for when the runtime's
/// rundown, which names that code, never came (a test host that exits before its session ends).
/// </summary>
/// <remarks>
/// Caches each file's image (and each failure) by path. Not thread-safe: it is meant for the single thread that
/// writes the report, so the cache takes no lock.
/// </remarks>
public sealed class ReadyToRunSymbolizer
{
    private readonly Func<string, ReadyToRunImage?> _load;
    private readonly Dictionary<string, ReadyToRunImage?> _images = new(StringComparer.Ordinal);

    public ReadyToRunSymbolizer(Func<string, ReadyToRunImage?>? load = null) => _load = load ?? ReadyToRunImage.Load;

    /// <param name="maps">The process's mappings, sorted by start address (see <see cref="ExecutableMappings.Containing"/>).</param>
    /// <param name="imagePath">The assembly the code is in: whose code it is.</param>
    /// <returns>False unless the address is in an executable mapping of a <c>.dll</c> whose image names the code there.</returns>
    public bool TryResolve(IReadOnlyList<MemoryMapping> maps, ulong address, out PrecompiledMethod method, out string imagePath)
    {
        ArgumentNullException.ThrowIfNull(maps);
        method = default;
        imagePath = string.Empty;
        var mapping = ExecutableMappings.Containing(maps, address);
        if (mapping is null || !mapping.HasReadableFile || mapping.Path is not { } path
            || !path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!_images.TryGetValue(path, out var image))
        {
            _images[path] = image = _load(path);
        }

        if (image is null || !image.TryFindByFileOffset(address - mapping.Start + mapping.Offset, out method))
        {
            return false;
        }

        imagePath = path;
        return true;
    }
}
