using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PerfAnalyzers.CodeFixes;

/// <summary>Inserting members and statements with the file's own indentation and line endings.</summary>
internal static class Members
{
    public static SyntaxTrivia Indentation(SyntaxNode node)
        => node.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)) is { } whitespace && whitespace.IsKind(SyntaxKind.WhitespaceTrivia)
            ? whitespace
            : SyntaxFactory.Whitespace("");

    public static SyntaxTrivia EndOfLine(SyntaxNode node)
    {
        var found = node.SyntaxTree.GetRoot().DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return found.IsKind(SyntaxKind.EndOfLineTrivia) ? found : SyntaxFactory.EndOfLine("\n");
    }

    /// <summary>
    /// Puts <paramref name="member"/> first in the type, indented like the other members; a blank line separates it from
    /// what follows unless both are fields.
    /// </summary>
    public static TypeDeclarationSyntax InsertFirst(TypeDeclarationSyntax type, MemberDeclarationSyntax member, bool forceBlankLine = false)
    {
        var eol = EndOfLine(type);
        var first = type.Members.FirstOrDefault();
        var indentation = first is not null ? Indentation(first) : SyntaxFactory.Whitespace(Indentation(type).ToString() + "    ");
        member = member.WithLeadingTrivia(indentation).WithTrailingTrivia(eol);
        if (first is null)
        {
            return type.WithMembers(type.Members.Add(member));
        }

        var members = type.Members;
        if (forceBlankLine || !(member is FieldDeclarationSyntax && first is FieldDeclarationSyntax))
        {
            var leading = first.GetLeadingTrivia();
            if (!leading.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
            {
                members = members.Replace(first, first.WithLeadingTrivia(leading.Insert(0, eol)));
            }
        }

        return type.WithMembers(members.Insert(0, member));
    }
}
