using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace PerfAnalyzers.Tests.Robustness;

/// <summary>One edited version of one file of a project: what the IDE analyzes while someone types.</summary>
internal sealed record Variant(TestProject Project, int FileIndex, string Kind, string Description, string Text)
{
    public string FilePath => Project.Files[FileIndex].Path;

    public override string ToString() => $"[{Project.Name}] {FilePath}: {Kind}: {Description}";

    /// <summary>The last lines of the edited text (where a prefix was cut), for failure messages.</summary>
    public string Excerpt(int lines = 6)
    {
        var all = Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return string.Join("\n", all.Skip(Math.Max(0, all.Length - lines)));
    }
}

/// <summary>
/// Deterministic edits of a file: every line-boundary prefix; token-level prefixes around loops, lambdas,
/// await, new and method declarations; and mutations (delete a line, duplicate a line, drop a closing brace,
/// rename a declared type).
/// </summary>
internal static class IncompleteCodeVariants
{
    public static IEnumerable<Variant> For(TestProject project, int fileIndex)
    {
        var original = project.Files[fileIndex].Text;
        var text = SourceText.From(original);
        var lines = text.Lines;
        var tree = RobustnessEnvironment.Parse(original, project.Files[fileIndex].Path);
        var root = tree.GetRoot();
        var seen = new HashSet<string>(StringComparer.Ordinal) { original };

        IEnumerable<Variant> Make(string kind, string description, string edited)
        {
            if (seen.Add(edited))
            {
                yield return new Variant(project, fileIndex, kind, description, edited);
            }
        }

        // Line-boundary prefixes: the file as typed top to bottom.
        for (var line = 0; line < lines.Count; line++)
        {
            foreach (var v in Make("line prefix", $"first {line} of {lines.Count} lines", original.Substring(0, lines[line].Start)))
            {
                yield return v;
            }
        }

        // Token-level prefixes around the constructs the rules reason about.
        foreach (var token in root.DescendantTokens())
        {
            if (!IsInteresting(token))
            {
                continue;
            }

            var label = $"'{token.Text}' at line {token.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";
            var cuts = new List<(int Position, string Where)> { (token.SpanStart, "before " + label), (token.Span.End, "after " + label) };
            var next = token.GetNextToken();
            if (next.RawKind != 0)
            {
                cuts.Add((next.Span.End, $"after {label} + '{next.Text}'"));
                var nextNext = next.GetNextToken();
                if (nextNext.RawKind != 0)
                {
                    cuts.Add((nextNext.Span.End, $"after {label} + '{next.Text} {nextNext.Text}'"));
                }
            }

            foreach (var (position, where) in cuts)
            {
                foreach (var v in Make("token prefix", where, original.Substring(0, position)))
                {
                    yield return v;
                }
            }
        }

        // Delete line i.
        for (var line = 0; line < lines.Count; line++)
        {
            var span = lines[line].SpanIncludingLineBreak;
            foreach (var v in Make("delete line", $"line {line + 1}: {lines[line].ToString().Trim()}", original.Remove(span.Start, span.Length)))
            {
                yield return v;
            }
        }

        // Duplicate line i.
        for (var line = 0; line < lines.Count; line++)
        {
            var span = lines[line].SpanIncludingLineBreak;
            var copy = original.Substring(span.Start, span.Length);
            if (!copy.EndsWith('\n'))
            {
                copy += "\n";
            }

            foreach (var v in Make("duplicate line", $"line {line + 1}: {lines[line].ToString().Trim()}", original.Insert(span.Start, copy)))
            {
                yield return v;
            }
        }

        // Drop the k-th closing brace.
        var braces = root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.CloseBraceToken) && !t.IsMissing).ToList();
        for (var k = 0; k < braces.Count; k++)
        {
            var brace = braces[k];
            foreach (var v in Make("drop brace", $"'}}' #{k + 1} of {braces.Count} (line {brace.GetLocation().GetLineSpan().StartLinePosition.Line + 1})", original.Remove(brace.SpanStart, 1)))
            {
                yield return v;
            }
        }

        // Rename a declared type: the declaration alone (every use becomes an error type), and every occurrence in this file.
        foreach (var declaration in root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>())
        {
            var name = declaration.Identifier.ValueText;
            var renamed = name + "Renamed";
            foreach (var v in Make("rename type", $"declaration of '{name}' only", original.Remove(declaration.Identifier.SpanStart, declaration.Identifier.Span.Length).Insert(declaration.Identifier.SpanStart, renamed)))
            {
                yield return v;
            }

            var everywhere = root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == name).OrderByDescending(t => t.SpanStart).Aggregate(original, (current, t) => current.Remove(t.SpanStart, t.Span.Length).Insert(t.SpanStart, renamed));
            foreach (var v in Make("rename type", $"every '{name}' in this file", everywhere))
            {
                yield return v;
            }
        }
    }

    private static bool IsInteresting(SyntaxToken token)
    {
        switch ((SyntaxKind)token.RawKind)
        {
            case SyntaxKind.ForEachKeyword:
            case SyntaxKind.ForKeyword:
            case SyntaxKind.WhileKeyword:
            case SyntaxKind.EqualsGreaterThanToken:
            case SyntaxKind.AwaitKeyword:
            case SyntaxKind.NewKeyword:
                return true;
            case SyntaxKind.IdentifierToken:
                // Method, local function, constructor and accessor declarations: their names.
                return token.Parent is MethodDeclarationSyntax or LocalFunctionStatementSyntax or ConstructorDeclarationSyntax;
            case SyntaxKind.OpenBraceToken:
                // The opening brace of a method-like body.
                return token.Parent is BlockSyntax { Parent: BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax };
            default:
                return false;
        }
    }

    /// <summary>Deterministic sampling by stride: at most <paramref name="cap"/> variants, spread evenly over the list.</summary>
    public static List<Variant> Sample(IReadOnlyList<Variant> all, int cap)
    {
        if (all.Count <= cap)
        {
            return all.ToList();
        }

        var stride = all.Count / (double)cap;
        var sample = new List<Variant>(cap);
        for (var i = 0; i < cap; i++)
        {
            sample.Add(all[(int)(i * stride)]);
        }

        return sample;
    }
}
