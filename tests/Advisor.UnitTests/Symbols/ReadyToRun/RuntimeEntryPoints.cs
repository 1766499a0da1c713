using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Reflection;
using System.Runtime.CompilerServices;
using Advisor.Linux.Symbols;

namespace Advisor.UnitTests.Symbols.ReadyToRun;

/// <summary>One ReadyToRun method as the runtime of this process named it when it looked up its precompiled code.</summary>
public sealed record RuntimeEntryPoint(string TypeName, string MethodName, ulong Address);

/// <summary>
/// What the runtime itself says about CoreLib's precompiled code in this process: the <c>R2RGetEntryPoint</c>
/// events it raises as it looks up a ReadyToRun method's code, for methods prepared here for the purpose. A
/// method's function pointer would not do: callers reach ReadyToRun code through a precode stub elsewhere.
/// </summary>
public static class RuntimeEntryPoints
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const long CompilationDiagnosticKeyword = 0x2000000000;

    // Framework types little used by a test run, so that most of their methods are still to be looked up.
    private static readonly Type[] Prepared =
    [
        typeof(System.Globalization.ISOWeek), typeof(System.Buffers.Text.Base64), typeof(System.Text.Ascii),
        typeof(System.Net.WebUtility), typeof(System.IO.Enumeration.FileSystemName), typeof(System.Security.SecurityElement),
        typeof(System.Text.Rune), typeof(Half), typeof(System.IO.Path), typeof(System.Convert),
    ];

    private static readonly Lazy<IReadOnlyList<RuntimeEntryPoint>> CoreLibEntryPoints = new(Collect);

    public static string CoreLibPath => typeof(object).Assembly.Location;

    /// <summary>The types whose methods were prepared here: other tests running alongside look up other code too.</summary>
    public static IReadOnlySet<string> PreparedTypeNames { get; } = Prepared.Select(t => t.FullName!).ToHashSet(StringComparer.Ordinal);

    /// <summary>CoreLib methods whose precompiled code the runtime looked up, with its address in this process.</summary>
    public static IReadOnlyList<RuntimeEntryPoint> OfCoreLib() => CoreLibEntryPoints.Value;

    /// <summary>Where this process mapped CoreLib's image: its headers' private mapping (the image's RVA 0).</summary>
    public static ulong? CoreLibBase() =>
        ProcMaps.Read(Environment.ProcessId)
            .FirstOrDefault(m => m.Path == CoreLibPath && m.Offset == 0 && m.Permissions[3] == 'p')?.Start;

    private static IReadOnlyList<RuntimeEntryPoint> Collect()
    {
        var code = ProcMaps.Read(Environment.ProcessId).Where(m => m.Path == CoreLibPath && m.IsExecutable).ToList();
        using var listener = new EntryPointListener();
        foreach (var method in Prepared.SelectMany(t => t.GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)))
        {
            if (method.IsAbstract || method.IsGenericMethodDefinition || method.GetMethodBody() is null)
            {
                continue;
            }

            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }

        // The runtime delivers its events to listeners from a thread of its own, a little later.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var seen = -1;
        while (DateTime.UtcNow < deadline && (listener.Found.Count != seen || seen == 0))
        {
            seen = listener.Found.Count;
            Thread.Sleep(500);
        }

        return listener.Found.Where(e => code.Any(m => m.Contains(e.Address))).ToList();
    }

    private sealed class EntryPointListener : EventListener
    {
        public ConcurrentQueue<RuntimeEntryPoint> Found { get; } = new();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == RuntimeProvider)
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)CompilationDiagnosticKeyword);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName != "R2RGetEntryPoint" || eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
            {
                return;
            }

            var typeName = payload[names.IndexOf("MethodNamespace")] as string;
            var methodName = payload[names.IndexOf("MethodName")] as string;
            if (typeName is not null && methodName is not null)
            {
                Found.Enqueue(new RuntimeEntryPoint(typeName, methodName, Convert.ToUInt64(payload[names.IndexOf("EntryPoint")], System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
    }
}
