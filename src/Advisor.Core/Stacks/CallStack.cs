namespace Advisor.Core.Stacks;

/// <summary>A symbolised stack, innermost frame first.</summary>
public sealed partial record CallStack(IReadOnlyList<StackFrame> Frames)
{
    public static CallStack Empty { get; } = new([]);

    /// <summary>
    /// The call site as a reader wants it: the first application frame and the .NET or library API it called
    /// (<c>MyApp.Log.Write → FileStream.Write</c>); null when the stack holds no application frame.
    /// </summary>
    public string? CallSite
    {
        get
        {
            for (var i = 0; i < Frames.Count; i++)
            {
                if (Frames[i].Kind != FrameKind.User)
                {
                    continue;
                }

                var api = OutermostFrameworkCallee(i);
                var caller = Readable(Frames[i].Name);
                return api is null ? caller : $"{caller} → {ShortName(Readable(api.Name))}";
            }

            return null;
        }
    }

    /// <summary>
    /// The framework or library frame the user frame at <paramref name="user"/> called directly, if any: past the
    /// runtime's stubs between them (an instantiating stub for a generic call), which name no API a reader called.
    /// </summary>
    private StackFrame? OutermostFrameworkCallee(int user)
    {
        var callee = user - 1;
        while (callee > 0 && IsRuntimeStub(Frames[callee].Name))
        {
            callee--;
        }

        return callee >= 0 && Frames[callee].Kind is FrameKind.Framework or FrameKind.Library && !IsRuntimeStub(Frames[callee].Name)
            ? Frames[callee]
            : null;
    }

    private static bool IsRuntimeStub(string name) =>
        name.StartsWith("dynamicClass.IL_STUB", StringComparison.Ordinal) || name.StartsWith("(dynamicClass).IL_STUB", StringComparison.Ordinal)
        || name.StartsWith("ILStubClass", StringComparison.Ordinal);

    /// <summary>
    /// The method an async state machine's MoveNext runs, as the reader wrote it:
    /// <c>Shop.Orders+&lt;LoadAsync&gt;d__8.MoveNext</c> → <c>Shop.Orders.LoadAsync</c>; other names as they are.
    /// </summary>
    public static string Readable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var match = AsyncStateMachine().Match(name);
        return match.Success ? $"{match.Groups["type"].Value}.{match.Groups["method"].Value}" : name;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<type>.+)\+<(?<method>[^<>]+)>d__\d+\.MoveNext$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex AsyncStateMachine();

    /// <summary>Whether any frame is the application's own code.</summary>
    public bool HasUserFrame => Frames.Any(f => f.Kind == FrameKind.User);

    /// <summary>
    /// <c>System.IO.FileStream.Write</c> → <c>FileStream.Write</c>: the namespace adds nothing there. Dots
    /// inside generic arguments (<c>TaskAwaiter&lt;System.Int32&gt;.GetResult</c>, <c>Span`1[System.Byte].Fill</c>)
    /// do not separate names.
    /// </summary>
    public static string ShortName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var method = LastDot(name, name.Length - 1);
        if (method <= 0)
        {
            return name;
        }

        var type = LastDot(name, method - 1);
        return type < 0 ? name : name[(type + 1)..];
    }

    /// <summary>The last '.' at or before <paramref name="from"/> that is outside generic arguments, or -1.</summary>
    private static int LastDot(string name, int from)
    {
        var depth = 0;
        for (var i = from; i >= 0; i--)
        {
            switch (name[i])
            {
                case '>' or ']': depth++; break;
                case '<' or '[': depth--; break;
                case '.' when depth == 0: return i;
            }
        }

        return -1;
    }
}
