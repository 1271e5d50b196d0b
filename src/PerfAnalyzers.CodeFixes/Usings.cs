using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace PerfAnalyzers.CodeFixes;

internal static class Usings
{
    /// <summary>Adds <c>using ns;</c> unless the file or a global using already imports it.</summary>
    public static async Task<Document> EnsureAsync(Document document, string ns, CancellationToken cancellationToken)
    {
        if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax root)
        {
            return document;
        }

        if (root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<UsingDirectiveSyntax>().Any(u => u.Name?.ToString() == ns && u.Alias is null))
        {
            return document;
        }

        var compilation = await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        if (compilation is not null)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (tree.GetRoot(cancellationToken) is CompilationUnitSyntax unit
                    && unit.Usings.Any(u => u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword) && u.Name?.ToString() is { } name && (name == ns || name == "global::" + ns)))
                {
                    return document;
                }
            }
        }

        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ns)).WithAdditionalAnnotations(Formatter.Annotation);
        var usings = root.Usings;
        var index = usings.Count;
        for (var i = 0; i < usings.Count; i++)
        {
            if (string.CompareOrdinal(usings[i].Name?.ToString(), ns) > 0 && !(usings[i].Name?.ToString().StartsWith("System", System.StringComparison.Ordinal) == true && !ns.StartsWith("System", System.StringComparison.Ordinal)))
            {
                index = i;
                break;
            }
        }

        var newRoot = usings.Count == 0
            ? root.WithUsings(root.Usings.Add(directive.WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)))
            : index < usings.Count
                ? root.WithUsings(usings.Insert(index, directive.WithTrailingTrivia(Members.EndOfLine(root)))) // between directives: the file's own line ending
                : root.WithUsings(usings.Insert(index, directive.WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)));
        return document.WithSyntaxRoot(newRoot);
    }
}
