namespace Advisor.Runtime.Symbols;

/// <summary>How the runtime's method names become the names a reader expects.</summary>
public static class MethodNames
{
    private static readonly string[] FrameworkPrefixes = ["System.", "Microsoft.", "Internal.", "Interop", "ILStubClass", "dynamicClass"];

    /// <summary>
    /// <c>Namespace.Type</c> and <c>Method</c> joined, with compiler-generated local-function names made
    /// readable: <c>Program.&lt;&lt;Main&gt;$&gt;g__WriteRecords|0_2</c> becomes <c>Program.WriteRecords</c>.
    /// </summary>
    public static string Display(string typeName, string methodName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(methodName);
        if (LambdaOf(methodName) is { } outer)
        {
            // <Run>b__1 in Type+<>c__DisplayClass2_0: a lambda inside Type.Run.
            var closure = typeName.IndexOf("+<>c", StringComparison.Ordinal);
            var owner = closure < 0 ? typeName : typeName[..closure];
            return owner.Length == 0 ? $"{outer} (lambda)" : $"{owner}.{outer} (lambda)";
        }

        var local = LocalFunctionName(methodName);
        var method = local ?? methodName;
        return typeName.Length == 0 ? method : $"{typeName}.{method}";
    }

    /// <summary>The C# compiler names a lambda <c>&lt;Outer&gt;b__n</c> (or <c>&lt;Outer&gt;b__n_m</c>).</summary>
    private static string? LambdaOf(string methodName)
    {
        var end = methodName.IndexOf(">b__", StringComparison.Ordinal);
        if (methodName.Length == 0 || methodName[0] != '<' || end <= 1)
        {
            return null;
        }

        var outer = methodName[1..end];
        // Top-level statements: <<Main>$>b__0_8 — the outer method is the program's Main.
        return outer.StartsWith('<') ? outer.Trim('<', '>', '$') : outer;
    }

    /// <summary>.NET's own code: the base class library, ASP.NET Core, and the runtime's stubs.</summary>
    public static bool IsFramework(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        foreach (var prefix in FrameworkPrefixes)
        {
            if (typeName.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return typeName.Length == 0;
    }

    /// <summary>The C# compiler names a local function <c>&lt;Outer&gt;g__Name|n_m</c>.</summary>
    private static string? LocalFunctionName(string methodName)
    {
        var start = methodName.IndexOf(">g__", StringComparison.Ordinal);
        if (methodName.Length == 0 || methodName[0] != '<' || start < 0)
        {
            return null;
        }

        start += 4;
        var end = methodName.IndexOf('|', start);
        return end > start ? methodName[start..end] : null;
    }
}
