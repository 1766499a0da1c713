using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Advisor.Core.Rules.Expressions;

/// <summary>A function callable from an expression; arity is checked when the expression is parsed.</summary>
internal sealed class BuiltInFunction
{
    private static readonly FrozenDictionary<string, BuiltInFunction> All = new BuiltInFunction[]
    {
        // min/max of a single value is a no-op, so one argument is far more likely a misplaced parenthesis.
        new("min", 2, int.MaxValue, args => args.Min()),
        new("max", 2, int.MaxValue, args => args.Max()),
        new("ceil", 1, 1, args => Math.Ceiling(args[0])),
        new("floor", 1, 1, args => Math.Floor(args[0])),
        new("abs", 1, 1, args => Math.Abs(args[0])),

        // Like division by zero, log2(0) comes from empty groups (bytes = 0); -Infinity would poison every
        // sum it reaches, so non-positive inputs give 0.
        new("log2", 1, 1, args => args[0] > 0 ? Math.Log2(args[0]) : 0),
    }.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    private readonly Func<IReadOnlyList<double>, double> _apply;

    private BuiltInFunction(string name, int minArguments, int maxArguments, Func<IReadOnlyList<double>, double> apply)
    {
        Name = name;
        MinArguments = minArguments;
        MaxArguments = maxArguments;
        _apply = apply;
    }

    public string Name { get; }

    public int MinArguments { get; }

    public int MaxArguments { get; }

    public static bool TryGet(string name, [NotNullWhen(true)] out BuiltInFunction? function) =>
        All.TryGetValue(name, out function);

    public double Apply(IReadOnlyList<double> arguments) => _apply(arguments);
}
