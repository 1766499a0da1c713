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

    /// <summary>
    /// Prepared last (its overloads not at all), and the one the tests look for by name: its event arriving means every earlier one has (one
    /// thread raises them all, and the runtime hands a thread's events over in the order they were raised).
    /// </summary>
    private static readonly MethodInfo Sentinel = typeof(System.Globalization.ISOWeek).GetMethod(nameof(System.Globalization.ISOWeek.GetWeekOfYear), [typeof(DateTime)])!;

    /// <summary>Generous: the runtime hands events over within a second or so, later on a loaded machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly Lazy<IReadOnlyList<RuntimeEntryPoint>> CoreLibEntryPoints = new(Collect);

    public static string CoreLibPath => typeof(object).Assembly.Location;

    /// <summary>The types whose methods were prepared here: other tests running alongside look up other code too.</summary>
    public static IReadOnlySet<string> PreparedTypeNames { get; } = Prepared.Select(t => t.FullName!).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// CoreLib methods whose precompiled code the runtime looked up, with its address in this process; never empty
    /// (skips the test, fails it in CI, when the runtime said nothing).
    /// </summary>
    public static IReadOnlyList<RuntimeEntryPoint> OfCoreLib()
    {
        var found = CoreLibEntryPoints.Value;
        Prerequisite.Require(found.Count > 0, "no ReadyToRun code of CoreLib was looked up here (ReadyToRun disabled?)");
        return found;
    }

    /// <summary>ISOWeek.GetWeekOfYear's precompiled code (skips the test, fails it in CI, when it was not looked up here).</summary>
    public static RuntimeEntryPoint WeekOfYear()
    {
        var entry = OfCoreLib().FirstOrDefault(IsSentinel);
        Prerequisite.Require(entry is not null, "ISOWeek.GetWeekOfYear's precompiled code was not looked up here");
        return entry;
    }

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
            if (method.IsAbstract || method.IsGenericMethodDefinition || method.GetMethodBody() is null || method.Name == Sentinel.Name)
            {
                continue;
            }

            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }

        RuntimeHelpers.PrepareMethod(Sentinel.MethodHandle);

        // The runtime delivers its events to listeners from a thread of its own, later: wait for the last one. It
        // does not come if something here ran GetWeekOfYear before the listener (its code was looked up then):
        // the tests that need it then say so.
        _ = listener.SentinelSeen.Task.Wait(Patience);
        return listener.Found.Where(e => code.Any(m => m.Contains(e.Address))).ToList();
    }

    private static bool IsSentinel(RuntimeEntryPoint e) => e.TypeName == Sentinel.DeclaringType!.FullName && e.MethodName == Sentinel.Name;

    private sealed class EntryPointListener : EventListener
    {
        public ConcurrentQueue<RuntimeEntryPoint> Found { get; } = new();

        public TaskCompletionSource SentinelSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
                var entry = new RuntimeEntryPoint(typeName, methodName, Convert.ToUInt64(payload[names.IndexOf("EntryPoint")], System.Globalization.CultureInfo.InvariantCulture));
                Found.Enqueue(entry);
                if (IsSentinel(entry))
                {
                    SentinelSeen.TrySetResult();
                }
            }
        }
    }
}
