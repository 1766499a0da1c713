using System.Reflection;
using System.Reflection.Emit;

namespace Advisor.UnitTests.Layering;

/// <summary>
/// Which of the tool's namespaces each namespace uses, read from the built assemblies: the types in signatures
/// (bases, interfaces, fields, properties, parameters, returns) and every member the method bodies touch (their IL),
/// so a call from inside a method counts as much as a parameter type. Nested types (lambdas, async state machines)
/// count for their outer type's namespace.
/// </summary>
internal static class NamespaceDependencies
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The tool's assemblies, in their own dependency order.</summary>
    public static IReadOnlyList<Assembly> ToolAssemblies { get; } =
    [
        typeof(global::Advisor.Core.Events.SyscallEvent).Assembly,
        typeof(global::Advisor.Linux.Backends.SyscallBackends).Assembly,
        typeof(global::Advisor.Runtime.Capture.LiveCapture).Assembly,
        typeof(global::Advisor.Reports.Prometheus.MonitorMetrics).Assembly,
        typeof(global::Advisor.Cli.Commands.MonitorCommand).Assembly,
    ];

    /// <summary>For each namespace of the tool, the other namespaces of the tool it uses.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Read(IEnumerable<Assembly> assemblies)
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            if (Namespace(type) is not { } from)
            {
                continue;
            }

            var uses = graph.TryGetValue(from, out var known) ? known : graph[from] = [];
            foreach (var used in Used(type).Select(Namespace).OfType<string>().Where(n => n != from))
            {
                uses.Add(used);
            }
        }

        return graph.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value);
    }

    /// <summary>The namespace a type is counted in; null for types outside the tool (BCL, packages, compiler-made).</summary>
    private static string? Namespace(Type? type)
    {
        while (type is { IsNested: true })
        {
            type = type.DeclaringType;
        }

        if (type is null || type.HasElementType)
        {
            return type?.HasElementType == true ? Namespace(type.GetElementType()) : null;
        }

        return type.Namespace is { } name && name.StartsWith("Advisor.", StringComparison.Ordinal) && !name.StartsWith("Advisor.UnitTests", StringComparison.Ordinal) ? name : null;
    }

    private static IEnumerable<Type> Used(Type type)
    {
        foreach (var used in Expand(type.BaseType).Concat(type.GetInterfaces().SelectMany(Expand)))
        {
            yield return used;
        }

        foreach (var field in type.GetFields(Declared))
        {
            foreach (var used in Expand(field.FieldType))
            {
                yield return used;
            }
        }

        foreach (var property in type.GetProperties(Declared))
        {
            foreach (var used in Expand(property.PropertyType))
            {
                yield return used;
            }
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            var signature = method.GetParameters().Select(p => p.ParameterType);
            if (method is MethodInfo info)
            {
                signature = signature.Append(info.ReturnType);
            }

            foreach (var used in signature.SelectMany(Expand).Concat(InBody(method)))
            {
                yield return used;
            }
        }
    }

    /// <summary>A type and its generic arguments and element type: <c>List&lt;Finding&gt;</c> uses Finding.</summary>
    private static IEnumerable<Type> Expand(Type? type)
    {
        if (type is null)
        {
            yield break;
        }

        if (type.HasElementType)
        {
            foreach (var element in Expand(type.GetElementType()))
            {
                yield return element;
            }

            yield break;
        }

        yield return type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return argument;
            }
        }
    }

    /// <summary>The types whose members a method's IL names: calls, object creations, fields, type tokens.</summary>
    private static IEnumerable<Type> InBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var opcode = OpCodesByValue[value];
            if (opcode.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, at);
                Type? touched = null;
                try
                {
                    touched = method.Module.ResolveMember(token, typeArguments, methodArguments) switch
                    {
                        Type t => t,
                        MemberInfo m => m.DeclaringType,
                        _ => null,
                    };
                }
                catch (ArgumentException)
                {
                    // A token of a generic context this reflection cannot rebuild: its signature types still counted.
                }

                foreach (var used in Expand(touched))
                {
                    yield return used;
                }
            }

            at += OperandSize(opcode, il, at);
        }
    }

    private static int OperandSize(OpCode opcode, byte[] il, int at) => opcode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
