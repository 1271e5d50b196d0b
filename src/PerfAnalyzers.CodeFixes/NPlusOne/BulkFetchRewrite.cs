using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace PerfAnalyzers.CodeFixes.NPlusOne;

/// <summary>
/// Fix 2, "Fetch all in one query": before the loop, collect the distinct keys, run one query
/// (<c>Where(x => keys.Contains(x.Key))</c>) into a dictionary (or lookup for one-to-many), and read it in the loop.
/// Keeps async-ness and the cancellation token; a missing key gives what the original gave (null or empty).
/// </summary>
internal static class BulkFetchRewrite
{
    public static async Task<Document?> TryApplyAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || root is null || PerElementLookup.TryParse(model, invocation, cancellationToken) is not { } lookup)
        {
            return null;
        }

        var isAsync = lookup.IsAsyncCall;
        if (isAsync != lookup.IsAwaited || lookup.Loop.Parent is not BlockSyntax
            || !IsReenumerableCollection(model, lookup.Loop.Expression, cancellationToken)
            || !PerElementLookup.IsLoopInvariant(model, lookup.Source, lookup.Loop, cancellationToken)
            || lookup.CancellationToken is { } token && !PerElementLookup.IsLoopInvariant(model, token, lookup.Loop, cancellationToken))
        {
            return null;
        }

        var taken = PerElementLookup.NamesInScope(model, lookup.Loop);
        var element = lookup.Loop.Identifier.ValueText;
        var collection = lookup.Loop.Expression.WithoutTrivia().ToString();
        var keysName = PerElementLookup.UniqueName(
            lookup.KeyProperty is null
                ? "distinct" + Pascal(collection.Split('.').Last())
                : PerElementLookup.Camel(lookup.KeyProperty.Name == "Id" ? lookup.Element.Type.Name + "Id" : lookup.KeyProperty.Name) + "s",
            taken);
        var mapName = PerElementLookup.UniqueName(PerElementLookup.Camel(lookup.Entity.Name) + "sBy" + lookup.MatchedProperty.Name, taken);
        var x = PerElementLookup.UniqueName(lookup.Entity.Name.Length > 0 ? PerElementLookup.Camel(lookup.Entity.Name).Substring(0, 1) : "e", PerElementLookup.NamesVisibleAt(model, lookup.Loop));
        var matched = lookup.MatchedProperty.Name;
        var source = lookup.Source.WithoutTrivia().ToString();
        var key = lookup.Key.WithoutTrivia().ToString();
        var tokenArgument = lookup.CancellationToken is null ? "" : ", " + lookup.CancellationToken.WithoutTrivia();
        var awaitPrefix = isAsync ? "await " : "";
        var async = isAsync ? "Async" : "";

        var distinct = lookup.KeysAsArray ? ".Distinct().ToArray()" : ".Distinct().ToList()";
        var keysInit = lookup.KeyProperty is null
            ? $"{collection}{distinct}"
            : $"{collection}.Select({element} => {key}){distinct}";
        string mapInit;
        string replacement;
        string? comment = null;
        if (lookup.BulkCall is { } bulkCall)
        {
            // Dapper or a repository's bulk sibling: one call for all keys, indexed in memory.
            var call = bulkCall(keysName).ToString();
            var rows = isAsync ? $"(await {call}{lookup.ConfigureAwait})" : call;
            if (lookup.BulkReturnsDictionary)
            {
                mapInit = isAsync ? $"await {call}{lookup.ConfigureAwait}" : call;
                replacement = $"{mapName}.GetValueOrDefault({key})";
            }
            else if (lookup.Shape == LookupShape.Many || lookup.FirstMatchWins)
            {
                // Many rows per key, or the first of several as QueryFirstOrDefault took it: a lookup (empty when missing).
                mapInit = $"{rows}.ToLookup({x} => {x}.{matched})";
                replacement = lookup.Shape == LookupShape.Many ? $"{mapName}[{key}]" : $"{mapName}[{key}].FirstOrDefault()";
            }
            else
            {
                mapInit = $"{rows}.ToDictionary({x} => {x}.{matched})";
                replacement = $"{mapName}.GetValueOrDefault({key})";
            }
        }
        else
        {
            var filtered = $"{source}.Where({x} => {keysName}.Contains({x}.{matched}))";
            switch (lookup.Shape)
            {
                case LookupShape.Many:
                    mapInit = isAsync
                        ? $"(await {filtered}.ToListAsync({tokenArgument.TrimStart(',', ' ')})).ToLookup({x} => {x}.{matched})"
                        : $"{filtered}.ToLookup({x} => {x}.{matched})";
                    replacement = $"{mapName}[{key}].ToList()";
                    break;
                case LookupShape.SingleOrThrow:
                    mapInit = $"{awaitPrefix}{filtered}.ToDictionary{async}({x} => {x}.{matched}{tokenArgument})";
                    replacement = $"{mapName}[{key}]";
                    comment = $"// {lookup.MethodName} threw InvalidOperationException when nothing matched; the indexer throws KeyNotFoundException.";
                    break;
                default:
                    mapInit = $"{awaitPrefix}{filtered}.ToDictionary{async}({x} => {x}.{matched}{tokenArgument})";
                    replacement = $"{mapName}.GetValueOrDefault({key})";
                    break;
            }
        }

        var indentation = Members.Indentation(lookup.Loop);
        var newLine = Members.EndOfLine(lookup.Loop);
        var keysStatement = SyntaxFactory.ParseStatement($"var {keysName} = {keysInit};").WithLeadingTrivia(indentation).WithTrailingTrivia(newLine);
        var mapStatement = SyntaxFactory.ParseStatement($"var {mapName} = {mapInit};").WithLeadingTrivia(indentation).WithTrailingTrivia(newLine);

        var replaced = new SyntaxAnnotation();
        var replacementExpression = SyntaxFactory.ParseExpression(replacement).WithTriviaFrom(lookup.Outer).WithAdditionalAnnotations(replaced);
        var trackedRoot = root.TrackNodes(lookup.Loop, lookup.Outer);
        trackedRoot = trackedRoot.ReplaceNode(trackedRoot.GetCurrentNode(lookup.Outer)!, replacementExpression);
        if (comment is not null && trackedRoot.GetAnnotatedNodes(replaced).FirstOrDefault()?.FirstAncestorOrSelf<StatementSyntax>() is { } statement && statement is not BlockSyntax)
        {
            // Say where First/Single semantics differ, above the statement that now reads the dictionary.
            var leading = statement.GetLeadingTrivia();
            var commentIndent = leading.Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
            trackedRoot = trackedRoot.ReplaceNode(statement, statement.WithLeadingTrivia(leading.Add(SyntaxFactory.Comment(comment)).Add(newLine).Add(commentIndent)));
        }

        var loop = trackedRoot.GetCurrentNode(lookup.Loop)!;
        trackedRoot = trackedRoot.InsertNodesBefore(loop, new[] { keysStatement, mapStatement });

        var changed = document.WithSyntaxRoot(trackedRoot);
        changed = await Usings.EnsureAsync(changed, "System.Linq", cancellationToken).ConfigureAwait(false);
        changed = await Usings.EnsureAsync(changed, "System.Collections.Generic", cancellationToken).ConfigureAwait(false);
        if (isAsync && lookup.Library == LookupLibrary.EfCore)
        {
            changed = await Usings.EnsureAsync(changed, "Microsoft.EntityFrameworkCore", cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }

    private static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    /// <summary>A local, parameter or field holding an array or collection: enumerating it twice gives the same elements.</summary>
    private static bool IsReenumerableCollection(SemanticModel model, ExpressionSyntax collection, CancellationToken cancellationToken)
    {
        if (collection is not (IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax or ThisExpressionSyntax }))
        {
            return false;
        }

        var type = model.GetTypeInfo(collection, cancellationToken).Type;
        return type is IArrayTypeSymbol
            || type is INamedTypeSymbol named && named.AllInterfaces.Concat(new[] { named }).Any(i => i.Name is "ICollection" or "IReadOnlyCollection" && i.TypeArguments.Length == 1);
    }
}
