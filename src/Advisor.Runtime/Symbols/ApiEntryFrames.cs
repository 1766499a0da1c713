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

    /// <summary>
    /// System.Native calls whose managed wrapper tier-1 code inlines into its callers: the native export, the
    /// namespace of the callers it is certain for, and the wrapper. Before tier-up the same stacks show it as its
    /// own frame (FileStream's strategy → RandomAccess.WriteAtOffset → SystemNative_PWrite); after, the strategy
    /// calls the export directly.
    /// </summary>
    private static readonly (string Export, string CallerNamespace, string Wrapper)[] InlinedWrappers =
    [
        ("libSystem.Native.so!SystemNative_PWrite", "System.IO.Strategies.", "System.IO.RandomAccess.WriteAtOffset"),
        ("libSystem.Native.so!SystemNative_PRead", "System.IO.Strategies.", "System.IO.RandomAccess.ReadAtOffset"),
    ];

    /// <summary>
    /// Puts back an inlined System.Native wrapper under its caller, then adds the owning API frame above the
    /// outermost run of internal frames, unless it is there.
    /// </summary>
    public static IReadOnlyList<StackFrame> Restore(IReadOnlyList<StackFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        frames = RestoreWrappers(frames);
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

    private static IReadOnlyList<StackFrame> RestoreWrappers(IReadOnlyList<StackFrame> frames)
    {
        List<StackFrame>? restored = null;
        for (var i = 0; i < frames.Count; i++)
        {
            restored?.Add(frames[i]);
            if (i + 1 < frames.Count && WrapperBetween(frames[i], frames[i + 1]) is { } wrapper)
            {
                restored ??= [.. frames.Take(i + 1)];
                restored.Add(new StackFrame(wrapper, FrameKind.Framework));
            }
        }

        return restored ?? frames;
    }

    private static string? WrapperBetween(StackFrame native, StackFrame caller)
    {
        if (native.Kind != FrameKind.Native || caller.Kind != FrameKind.Framework)
        {
            return null;
        }

        foreach (var (export, callerNamespace, wrapper) in InlinedWrappers)
        {
            if (native.Name == export && caller.Name.StartsWith(callerNamespace, StringComparison.Ordinal))
            {
                return wrapper;
            }
        }

        return null;
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
