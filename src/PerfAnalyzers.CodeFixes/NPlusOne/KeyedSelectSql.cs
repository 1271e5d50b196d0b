using System;
using System.Collections.Generic;

namespace PerfAnalyzers.CodeFixes.NPlusOne;

/// <summary>
/// A SQL text of exactly the shape <c>SELECT list FROM table [alias] WHERE column = @Param</c> (or <c>@Param = column</c>),
/// optionally ending in <c>;</c>. Anything else (joins, further predicates, ordering, paging, grouping, functions,
/// subqueries, literals, comments, other parameters) does not parse, so the bulk rewrite is only offered for a query
/// whose per-key rows are exactly the rows of <c>column IN (keys)</c>.
/// </summary>
internal sealed class KeyedSelectSql
{
    private KeyedSelectSql(string text) => Text = text;

    public string Text { get; }

    /// <summary>The compared column, unqualified and unquoted: <c>author_id</c>.</summary>
    public string Column { get; private set; } = "";

    /// <summary>The parameter name without its <c>@</c>.</summary>
    public string Parameter { get; private set; } = "";

    /// <summary>Where the predicate <c>column = @Param</c> starts in <see cref="Text"/>, and how long it is.</summary>
    public int PredicateStart { get; private set; }

    public int PredicateLength { get; private set; }

    /// <summary>The column as written in the predicate (keeps a qualifier and quoting): <c>u.author_id</c>.</summary>
    public string ColumnAsWritten { get; private set; } = "";

    /// <summary>
    /// The name the compared column's value is materialized under: its alias in the select list, or its own name when
    /// the select list has <c>*</c>; null when the column is not selected (the result objects would not carry the key).
    /// </summary>
    public string? SelectedName { get; private set; }

    public static KeyedSelectSql? TryParse(string text)
    {
        var tokens = Tokenize(text);
        if (tokens is null)
        {
            return null;
        }

        var result = new KeyedSelectSql(text);
        var position = 0;
        if (!IsKeyword(tokens, position++, "SELECT"))
        {
            return null;
        }

        // Select list: *, q.*, column [AS alias], q.column [AS alias], separated by commas.
        var hasStar = false;
        var selected = new List<(string Column, string Name)>();
        while (true)
        {
            if (At(tokens, position, TokenKind.Star))
            {
                hasStar = true;
                position++;
            }
            else if (At(tokens, position, TokenKind.Identifier) && At(tokens, position + 1, TokenKind.Dot) && At(tokens, position + 2, TokenKind.Star))
            {
                hasStar = true;
                position += 3;
            }
            else if (ReadColumn(tokens, ref position) is { } column)
            {
                var name = column;
                if (IsKeyword(tokens, position, "AS"))
                {
                    position++;
                    if (!At(tokens, position, TokenKind.Identifier))
                    {
                        return null;
                    }

                    name = tokens[position++].Value;
                }
                else if (At(tokens, position, TokenKind.Identifier) && !IsKeyword(tokens, position, "FROM"))
                {
                    name = tokens[position++].Value;
                }

                selected.Add((column, name));
            }
            else
            {
                return null;
            }

            if (!At(tokens, position, TokenKind.Comma))
            {
                break;
            }

            position++;
        }

        // FROM table [AS alias]: one table, no joins.
        if (!IsKeyword(tokens, position++, "FROM") || ReadColumn(tokens, ref position) is null)
        {
            return null;
        }

        if (IsKeyword(tokens, position, "AS"))
        {
            position++;
            if (!At(tokens, position, TokenKind.Identifier))
            {
                return null;
            }

            position++;
        }
        else if (At(tokens, position, TokenKind.Identifier) && !IsKeyword(tokens, position, "WHERE"))
        {
            position++;
        }

        if (!IsKeyword(tokens, position++, "WHERE"))
        {
            return null;
        }

        // column = @Param, or @Param = column.
        var predicateStart = position;
        string? compared;
        int columnStart;
        int columnEnd;
        if (At(tokens, position, TokenKind.Parameter))
        {
            result.Parameter = tokens[position].Value;
            position++;
            if (!At(tokens, position++, TokenKind.Equals))
            {
                return null;
            }

            columnStart = position;
            compared = ReadColumn(tokens, ref position);
            columnEnd = position;
        }
        else
        {
            columnStart = position;
            compared = ReadColumn(tokens, ref position);
            columnEnd = position;
            if (compared is null || !At(tokens, position++, TokenKind.Equals) || !At(tokens, position, TokenKind.Parameter))
            {
                return null;
            }

            result.Parameter = tokens[position].Value;
            position++;
        }

        if (compared is null)
        {
            return null;
        }

        var predicateEnd = position;
        if (At(tokens, position, TokenKind.Semicolon))
        {
            position++;
        }

        if (position != tokens.Count)
        {
            return null;
        }

        result.Column = compared;
        result.ColumnAsWritten = text.Substring(tokens[columnStart].Start, tokens[columnEnd - 1].End - tokens[columnStart].Start);
        result.PredicateStart = tokens[predicateStart].Start;
        result.PredicateLength = tokens[predicateEnd - 1].End - result.PredicateStart;

        var matches = selected.FindAll(s => string.Equals(s.Column, compared, StringComparison.OrdinalIgnoreCase));
        result.SelectedName = matches.Count == 1 ? matches[0].Name : matches.Count == 0 && hasStar ? compared : null;
        return result;
    }

    /// <summary>The predicate as written: <c>u.id = @Id</c>.</summary>
    public string Predicate => Text.Substring(PredicateStart, PredicateLength);

    /// <summary>The predicate for a list of keys: <c>column IN @Params</c> (Dapper list expansion) or <c>column = ANY(@Params)</c> (an array parameter).</summary>
    public string ListPredicate(string listParameter, bool useAny)
        => useAny ? $"{ColumnAsWritten} = ANY(@{listParameter})" : $"{ColumnAsWritten} IN @{listParameter}";

    /// <summary>The SQL with the predicate replaced by <see cref="ListPredicate"/>.</summary>
    public string WithListPredicate(string listParameter, bool useAny)
        => Text.Substring(0, PredicateStart) + ListPredicate(listParameter, useAny) + Text.Substring(PredicateStart + PredicateLength);

    /// <summary>identifier or qualifier.identifier; returns the last part.</summary>
    private static string? ReadColumn(List<Token> tokens, ref int position)
    {
        if (!At(tokens, position, TokenKind.Identifier) || IsReserved(tokens[position]))
        {
            return null;
        }

        var name = tokens[position++].Value;
        if (At(tokens, position, TokenKind.Dot) && At(tokens, position + 1, TokenKind.Identifier) && !IsReserved(tokens[position + 1]))
        {
            name = tokens[position + 1].Value;
            position += 2;
        }

        return name;
    }

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "AS", "DISTINCT", "TOP", "ALL", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "OUTER", "ON",
        "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "BETWEEN", "EXISTS", "ORDER", "GROUP", "BY", "HAVING", "LIMIT", "OFFSET",
        "FETCH", "UNION", "EXCEPT", "INTERSECT", "FOR", "WITH", "INTO", "CASE", "WHEN", "THEN", "ELSE", "END", "RETURNING", "WINDOW",
        "TABLESAMPLE", "LATERAL", "APPLY", "USING", "NATURAL", "VALUES", "UPDATE", "DELETE", "INSERT", "SET",
    };

    private static bool IsReserved(Token token) => !token.Quoted && Reserved.Contains(token.Value);

    private static bool IsKeyword(List<Token> tokens, int position, string keyword)
        => At(tokens, position, TokenKind.Identifier) && !tokens[position].Quoted && string.Equals(tokens[position].Value, keyword, StringComparison.OrdinalIgnoreCase);

    private static bool At(List<Token> tokens, int position, TokenKind kind) => position < tokens.Count && tokens[position].Kind == kind;

    /// <summary>Splits the text into the few token kinds the shape needs; anything else (literals, comments, operators, parentheses) fails.</summary>
    private static List<Token>? Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (IsWordStart(c))
            {
                while (i < text.Length && IsWordPart(text[i]))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text.Substring(start, i - start), start, i, quoted: false));
            }
            else if (c == '@' && i + 1 < text.Length && IsWordStart(text[i + 1]))
            {
                i++;
                while (i < text.Length && IsWordPart(text[i]))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Parameter, text.Substring(start + 1, i - start - 1), start, i, quoted: false));
            }
            else if (c is '"' or '[' or '`')
            {
                var close = c == '[' ? ']' : c;
                var end = text.IndexOf(close, i + 1);
                if (end < 0 || end == i + 1)
                {
                    return null;
                }

                var value = text.Substring(i + 1, end - i - 1);
                foreach (var ch in value)
                {
                    if (!IsWordPart(ch))
                    {
                        return null;
                    }
                }

                i = end + 1;
                tokens.Add(new Token(TokenKind.Identifier, value, start, i, quoted: true));
            }
            else
            {
                var kind = c switch
                {
                    '*' => TokenKind.Star,
                    ',' => TokenKind.Comma,
                    '.' => TokenKind.Dot,
                    '=' => TokenKind.Equals,
                    ';' => TokenKind.Semicolon,
                    _ => TokenKind.None,
                };
                if (kind == TokenKind.None)
                {
                    return null;
                }

                i++;
                tokens.Add(new Token(kind, c.ToString(), start, i, quoted: false));
            }
        }

        return tokens;
    }

    private static bool IsWordStart(char c) => c == '_' || c < 128 && char.IsLetter(c);

    private static bool IsWordPart(char c) => c == '_' || c < 128 && char.IsLetterOrDigit(c);

    private enum TokenKind
    {
        None,
        Identifier,
        Parameter,
        Star,
        Comma,
        Dot,
        Equals,
        Semicolon,
    }

    private readonly struct Token
    {
        public Token(TokenKind kind, string value, int start, int end, bool quoted)
        {
            Kind = kind;
            Value = value;
            Start = start;
            End = end;
            Quoted = quoted;
        }

        public TokenKind Kind { get; }

        public string Value { get; }

        public int Start { get; }

        public int End { get; }

        public bool Quoted { get; }
    }
}
