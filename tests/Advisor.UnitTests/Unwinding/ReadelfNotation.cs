using System.Globalization;
using Advisor.Linux.Unwinding;

namespace Advisor.UnitTests.Unwinding;

/// <summary>Renders an unwind row's CFA, ra and rbp as <c>readelf --debug-dump=frames-interp</c> prints them (x86-64).</summary>
internal static class ReadelfNotation
{
    private static readonly string[] X64Registers =
        ["rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip"];

    public static (string Cfa, string Ra, string Rbp) Of(UnwindRow row) => (Cfa(row.Cfa), Rule(row.ReturnAddress), Rule(row.FramePointer));

    /// <summary>
    /// readelf's view of the same row, made comparable: it prints "u" both for a register not yet saved and for
    /// DW_CFA_undefined, and omits a column no instruction mentions. For rbp (callee-saved: untouched means same
    /// value) both mean "s" here; "vexp" is "exp" as the unwinder evaluates neither.
    /// </summary>
    public static (string Cfa, string Ra, string Rbp) Of(IReadOnlyDictionary<string, string> columns)
    {
        var rbp = columns.GetValueOrDefault("rbp", "u");
        return (columns["CFA"], Expression(columns.GetValueOrDefault("ra", "u")), rbp == "u" ? "s" : Expression(rbp));
    }

    private static string Expression(string rule) => rule == "vexp" ? "exp" : rule;

    private static string Cfa(CfaRule cfa) => cfa.Kind switch
    {
        CfaRuleKind.RegisterOffset => Register(cfa.Register) + Signed(cfa.Offset),
        CfaRuleKind.Expression => "exp",
        _ => "undefined",
    };

    private static string Rule(RegisterRule rule) => rule.Kind switch
    {
        RegisterRuleKind.Undefined => "u",
        RegisterRuleKind.SameValue => "s",
        RegisterRuleKind.Offset => "c" + Signed(rule.Value),
        RegisterRuleKind.ValueOffset => "v" + Signed(rule.Value),
        RegisterRuleKind.Register => Register((int)rule.Value),
        _ => "exp",
    };

    private static string Register(int number) => number >= 0 && number < X64Registers.Length ? X64Registers[number] : "r" + number.ToString(CultureInfo.InvariantCulture);

    private static string Signed(long value) => value.ToString("+0;-0", CultureInfo.InvariantCulture);
}
