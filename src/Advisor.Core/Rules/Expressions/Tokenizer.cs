using System.Globalization;

namespace Advisor.Core.Rules.Expressions;

/// <summary>Splits expression text into <see cref="Token"/>s, always ending with a <see cref="TokenKind.End"/>.</summary>
internal static class Tokenizer
{
    // Sizes are binary (KiB, not KB) because syscall buffers are; times are milliseconds because that is the
    // unit the metrics use. Each unit is a ratio rather than one factor so that 500us divides by 1000 and is
    // exactly 0.5, where multiplying by 0.001 would carry that constant's binary rounding error.
    private static readonly Dictionary<string, (double Numerator, double Denominator)> Units =
        new(StringComparer.Ordinal)
        {
            ["KiB"] = (1024, 1),
            ["MiB"] = (1024 * 1024, 1),
            ["GiB"] = (1024 * 1024 * 1024, 1),
            ["us"] = (1, 1000),
            ["ms"] = (1, 1),
            ["s"] = (1000, 1),
        };

    private const string UnitList = "KiB, MiB, GiB, us, ms or s";

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiDigit(c))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                tokens.Add(ReadWord(text, ref i));
            }
            else
            {
                tokens.Add(ReadSymbol(text, ref i));
            }
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, text.Length + 1));
        return tokens;
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        SkipDigits(text, ref i);
        if (i < text.Length && text[i] == '.')
        {
            // A digit is required after the point too: "1." is almost always a typo for "1.5" or "1".
            if (i + 1 >= text.Length || !char.IsAsciiDigit(text[i + 1]))
            {
                throw new RuleExpressionException("expected a digit after the decimal point", text, i + 1);
            }

            i++;
            SkipDigits(text, ref i);
        }

        var digits = text[start..i];
        for (var j = start; j < i; j++)
        {
            if (text[j] == '_' && !(char.IsAsciiDigit(text[j - 1]) && j + 1 < i && char.IsAsciiDigit(text[j + 1])))
            {
                throw new RuleExpressionException("'_' in a number must sit between two digits", text, j + 1);
            }
        }

        var value = double.Parse(
            digits.Replace("_", string.Empty, StringComparison.Ordinal),
            NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture);

        if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
        {
            var unitStart = i;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            var unit = text[unitStart..i];
            if (!Units.TryGetValue(unit, out var ratio))
            {
                throw new RuleExpressionException(
                    $"unknown unit '{unit}' (expected {UnitList})", text, unitStart + 1);
            }

            value = value * ratio.Numerator / ratio.Denominator;
        }

        return new Token(TokenKind.Number, text[start..i], start + 1, value);
    }

    private static void SkipDigits(string text, ref int i)
    {
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }
    }

    private static Token ReadWord(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '.'))
        {
            i++;
        }

        var word = text[start..i];
        var kind = word switch
        {
            "and" => TokenKind.And,
            "or" => TokenKind.Or,
            "not" => TokenKind.Not,
            _ => TokenKind.Identifier,
        };
        return new Token(kind, word, start + 1);
    }

    private static Token ReadSymbol(string text, ref int i)
    {
        var c = text[i];
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        var column = i + 1;

        // Operators borrowed from C-like languages get a hint instead of a bare "unexpected character",
        // since rule authors will reach for them out of habit.
        (TokenKind Kind, int Length) symbol = c switch
        {
            '(' => (TokenKind.LeftParen, 1),
            ')' => (TokenKind.RightParen, 1),
            ',' => (TokenKind.Comma, 1),
            '+' => (TokenKind.Plus, 1),
            '-' => (TokenKind.Minus, 1),
            '*' => (TokenKind.Star, 1),
            '/' => (TokenKind.Slash, 1),
            '%' => (TokenKind.Percent, 1),
            '<' when next == '=' => (TokenKind.LessOrEqual, 2),
            '<' => (TokenKind.Less, 1),
            '>' when next == '=' => (TokenKind.GreaterOrEqual, 2),
            '>' => (TokenKind.Greater, 1),
            '=' when next == '=' => (TokenKind.Equal, 2),
            '=' => throw new RuleExpressionException("use '==' to compare, not '='", text, column),
            '!' when next == '=' => (TokenKind.NotEqual, 2),
            '!' => throw new RuleExpressionException("use 'not' instead of '!'", text, column),
            '&' when next == '&' => throw new RuleExpressionException("use 'and' instead of '&&'", text, column),
            '|' when next == '|' => throw new RuleExpressionException("use 'or' instead of '||'", text, column),
            _ => throw new RuleExpressionException($"unexpected character {Quote(c)}", text, column),
        };

        i += symbol.Length;
        return new Token(symbol.Kind, text.Substring(column - 1, symbol.Length), column);
    }

    // Control characters would garble a one-line message, so they are shown by code point.
    private static string Quote(char c) =>
        char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}") : $"'{c}'";
}
