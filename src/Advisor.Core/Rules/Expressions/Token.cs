namespace Advisor.Core.Rules.Expressions;

internal enum TokenKind
{
    Number,
    Identifier,
    And,
    Or,
    Not,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    LeftParen,
    RightParen,
    Comma,
    End,
}

/// <summary>
/// One lexical unit. <see cref="Text"/> is the exact source slice so messages quote what the user wrote;
/// <see cref="Value"/> is only meaningful for numbers, with any unit already applied.
/// </summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Column, double Value = 0)
{
    public bool IsComparison => Kind is TokenKind.Less or TokenKind.LessOrEqual or TokenKind.Greater
        or TokenKind.GreaterOrEqual or TokenKind.Equal or TokenKind.NotEqual;

    /// <summary>How the token is quoted in an error message.</summary>
    public string Describe() => Kind == TokenKind.End ? "end of expression" : $"'{Text}'";
}
