using Advisor.Core.Stacks;

namespace Advisor.Runtime.Symbols;

/// <summary>
/// Restores the public .NET API frame that optimised code removed from a stack. Tier-1 code inlines
/// <c>FileStream.Write</c> into its caller or leaves it by a tail call, so the physical stack goes from the
/// application straight into FileStream's internal strategy classes — which nothing but FileStream can
/// call. Where the framework's structure makes the caller certain like that, the API frame is put back,
/// so a finding names the call the user wrote.
/// </summary>
public static class ApiEntryFrames
{
    /// <summary>
    /// Internal implementation types (namespace and type-name suffix), and the one public type whose
    /// same-named methods enter them. Only types whose methods mirror the public ones qualify: FileStream's
    /// strategies do (FileStream.Write calls its strategy's Write); its static helpers do not.
    /// </summary>
    private static readonly (string Namespace, string TypeSuffix, string PublicType)[] Owners =
    [
        ("System.IO.Strategies.", "Strategy", "System.IO.FileStream"),
    ];

    /// <summary>Adds the owning API frame above the outermost run of internal frames, unless it is there.</summary>
    public static IReadOnlyList<StackFrame> Restore(IReadOnlyList<StackFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        List<StackFrame>? restored = null;
        for (var i = 0; i < frames.Count; i++)
        {
            var owner = OwnerOf(frames[i]);
            var outer = i + 1 < frames.Count ? frames[i + 1] : null;
            if (owner is null || (outer is not null && (OwnerOf(outer) is not null || outer.Name.StartsWith(owner + ".", StringComparison.Ordinal))))
            {
                restored?.Add(frames[i]);
                continue;
            }

            restored ??= [.. frames.Take(i)];
            restored.Add(frames[i]);
            restored.Add(new StackFrame($"{owner}.{MethodOf(frames[i].Name)}", FrameKind.Framework));
        }

        return restored ?? frames;
    }

    private static string? OwnerOf(StackFrame frame)
    {
        if (frame.Kind != FrameKind.Framework)
        {
            return null;
        }

        var method = frame.Name.LastIndexOf('.');
        var type = method < 0 ? frame.Name : frame.Name[..method];
        foreach (var (ns, suffix, owner) in Owners)
        {
            if (type.StartsWith(ns, StringComparison.Ordinal) && type.EndsWith(suffix, StringComparison.Ordinal))
            {
                return owner;
            }
        }

        return null;
    }

    private static string MethodOf(string name) => name[(name.LastIndexOf('.') + 1)..];
}
