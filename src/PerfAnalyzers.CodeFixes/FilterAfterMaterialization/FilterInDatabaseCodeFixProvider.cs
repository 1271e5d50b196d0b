using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace PerfAnalyzers.CodeFixes.FilterAfterMaterialization;

/// <summary>
/// PERF007 fix "Filter in the database": moves the leading translatable in-memory operators before the
/// materialization (<c>db.Orders.ToList().Where(p).ToList()</c> → <c>db.Orders.Where(p).ToList()</c>;
/// <c>(await q.ToListAsync(ct)).Count(p)</c> → <c>await q.CountAsync(p, ct)</c>), inlining a local that held the rows
/// when the filter is its only use in the next statement.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FilterInDatabaseCodeFixProvider)), Shared]
public sealed class FilterInDatabaseCodeFixProvider : InvocationRewriteCodeFixProvider
{
    public const string FilterInDatabaseKey = "PERF007.FilterInDatabase";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.FilterAfterMaterialization);

    protected override string Title => "Filter in the database";

    protected override string EquivalenceKey => FilterInDatabaseKey;

    protected override Task<Document?> RewriteAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        => ApplyAsync(document, invocation, cancellationToken);

    private static async Task<Document?> ApplyAsync(Document document, InvocationExpressionSyntax materializerSyntax, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null
            || model.GetOperation(materializerSyntax, cancellationToken) is not IInvocationOperation materializer
            || materializerSyntax.Expression is not MemberAccessExpressionSyntax { Expression: { } querySyntax } materializerAccess)
        {
            return null;
        }

        var types = PerfCompilationContext.For(model.Compilation).Types;
        if (!MaterializedQueries.IsMaterializer(materializer, types)
            || !MaterializedQueries.IsQueryableSource(materializer.GetReceiver(), types)
            || MaterializedQueries.MaterializedValue(materializer) is not { } value)
        {
            return null;
        }

        // The rows go straight into the chain, or through a local declared in the statement just before it.
        IOperation rows = value;
        LocalDeclarationStatementSyntax? declaration = null;
        StatementSyntax? user = null;
        if (MaterializedQueries.DeclaredLocal(value) is { } local)
        {
            if (FindSoleUse(model, materializerSyntax, local, cancellationToken) is not { } use)
            {
                return null;
            }

            (rows, declaration, user) = use;
        }

        var chain = MaterializedQueries.InMemoryChain(rows, types);
        var moved = MaterializedQueries.TranslatablePrefix(chain);
        if (moved == 0)
        {
            return null;
        }

        var isAsync = materializer.TargetMethod.Name.EndsWith("Async", System.StringComparison.Ordinal);
        var tokenArguments = materializerSyntax.ArgumentList.Arguments;
        var last = chain[moved - 1];
        var endsWithTerminal = MaterializedQueries.TerminalOperators.Contains(last.TargetMethod.Name);

        ExpressionSyntax? rebuilt = querySyntax;
        for (var i = 0; i < moved && rebuilt is not null; i++)
        {
            rebuilt = Rebase(chain[i].Syntax, rebuilt);
        }

        SyntaxNode replaced = last.Syntax;
        if (rebuilt is null)
        {
            return null;
        }

        if (endsWithTerminal)
        {
            if (isAsync)
            {
                rebuilt = ToAsync((InvocationExpressionSyntax)rebuilt, null, tokenArguments);
            }
        }
        else if (moved < chain.Length && chain[moved].TargetMethod.Name is "ToList" or "ToArray" && chain[moved].Arguments.Length == 1)
        {
            // ToList().Where(p).ToList(): the second materialization is the one kept.
            replaced = chain[moved].Syntax;
            rebuilt = Rebase(chain[moved].Syntax, rebuilt);
            if (rebuilt is InvocationExpressionSyntax rematerialized && isAsync)
            {
                rebuilt = ToAsync(rematerialized, rematerialized.ArgumentList.WithArguments(tokenArguments), default);
            }
        }
        else
        {
            // Appended on the same line as the last moved operator: `.Take(size).ToList()`.
            rebuilt = InvocationExpression(
                materializerAccess.WithExpression(rebuilt.WithoutTrailingTrivia()).WithOperatorToken(materializerAccess.OperatorToken.WithoutTrivia()),
                materializerSyntax.ArgumentList.WithoutTrivia())
                .WithTrailingTrivia(rebuilt.GetTrailingTrivia());
        }

        if (rebuilt is null)
        {
            return null;
        }

        if (isAsync)
        {
            rebuilt = AwaitExpression(rebuilt.WithoutLeadingTrivia());
            if (replaced.Parent is MemberAccessExpressionSyntax or ConditionalAccessExpressionSyntax or ElementAccessExpressionSyntax or PostfixUnaryExpressionSyntax)
            {
                rebuilt = ParenthesizedExpression(rebuilt);
            }
        }

        rebuilt = rebuilt.WithLeadingTrivia(replaced.GetLeadingTrivia()).WithTrailingTrivia(replaced.GetTrailingTrivia());
        var newRoot = declaration is null || user is null
            ? root.ReplaceNode(replaced, rebuilt)
            : InlineIntoNextStatement(root, declaration, user, replaced, rebuilt);
        if (newRoot is null)
        {
            return null;
        }

        var fixedDocument = document.WithSyntaxRoot(newRoot);
        if (isAsync && endsWithTerminal)
        {
            fixedDocument = await Usings.EnsureAsync(fixedDocument, "Microsoft.EntityFrameworkCore", cancellationToken).ConfigureAwait(false);
        }

        return await CodeFixChecks.IntroducesErrorsAsync(document, fixedDocument, cancellationToken).ConfigureAwait(false) ? null : fixedDocument;
    }

    /// <summary><c>rows.Where(p)</c> with <paramref name="receiver"/> in place of <c>rows</c>; null for other call shapes.</summary>
    private static InvocationExpressionSyntax? Rebase(SyntaxNode operatorSyntax, ExpressionSyntax receiver)
        => operatorSyntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } invocation
            ? invocation.WithExpression(access.WithExpression(receiver))
            : null;

    /// <summary><c>Count(p)</c> → <c>CountAsync(p, ct)</c>, passing on the materializer's cancellation token.</summary>
    private static InvocationExpressionSyntax? ToAsync(InvocationExpressionSyntax invocation, ArgumentListSyntax? replacementArguments, SeparatedSyntaxList<ArgumentSyntax> appendedArguments)
    {
        if (invocation.Expression is not MemberAccessExpressionSyntax { Name: IdentifierNameSyntax name } access)
        {
            return null;
        }

        var renamed = access.WithName(name.WithIdentifier(Identifier(name.Identifier.LeadingTrivia, name.Identifier.ValueText + "Async", name.Identifier.TrailingTrivia)));
        var arguments = replacementArguments ?? invocation.ArgumentList;
        if (appendedArguments.Count > 0)
        {
            var nodes = arguments.Arguments.Concat(appendedArguments).ToList();
            var separators = new List<SyntaxToken>(arguments.Arguments.GetSeparators());
            while (separators.Count < nodes.Count - 1)
            {
                separators.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space));
            }

            arguments = arguments.WithArguments(SeparatedList(nodes, separators));
        }

        return invocation.WithExpression(renamed).WithArgumentList(arguments);
    }

    /// <summary>
    /// The one read of <paramref name="local"/>, in the statement right after its declaration, evaluated once
    /// (not inside a lambda, a loop body or a nested statement): moving the query there changes no other use.
    /// </summary>
    private static (IOperation Rows, LocalDeclarationStatementSyntax Declaration, StatementSyntax User)? FindSoleUse(SemanticModel model, SyntaxNode materializerSyntax, ILocalSymbol local, CancellationToken cancellationToken)
    {
        if (materializerSyntax.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is not { Declaration.Variables.Count: 1, Parent: BlockSyntax block } declaration)
        {
            return null;
        }

        var index = block.Statements.IndexOf(declaration);
        if (index < 0 || index + 1 >= block.Statements.Count)
        {
            return null;
        }

        var next = block.Statements[index + 1];
        IdentifierNameSyntax? use = null;
        foreach (var identifier in block.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText == local.Name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, local))
            {
                if (use is not null)
                {
                    return null;
                }

                use = identifier;
            }
        }

        if (use is null || !use.IsWithin(next)
            || use.Ancestors().TakeWhile(a => a != next).Any(a => a is StatementSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
        {
            return null;
        }

        return model.GetOperation(use, cancellationToken) is ILocalReferenceOperation reference ? (reference, declaration, next) : null;
    }

    /// <summary>Drops the declaration that held the rows and rewrites the statement that used them.</summary>
    private static SyntaxNode? InlineIntoNextStatement(SyntaxNode root, LocalDeclarationStatementSyntax declaration, StatementSyntax user, SyntaxNode replaced, ExpressionSyntax rebuilt)
    {
        if (declaration.Parent is not BlockSyntax block)
        {
            return null;
        }

        var rewritten = user.ReplaceNode(replaced, rebuilt);

        // The declaration's comments stay, above the statement that now runs the query.
        var userTrivia = user.GetLeadingTrivia();
        var leading = userTrivia.All(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia))
            ? declaration.GetLeadingTrivia()
            : TriviaList(declaration.GetLeadingTrivia().Reverse().SkipWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse()).AddRange(userTrivia);
        rewritten = rewritten.WithLeadingTrivia(leading);

        var statements = new List<StatementSyntax>(block.Statements.Count - 1);
        foreach (var statement in block.Statements)
        {
            if (statement != declaration)
            {
                statements.Add(statement == user ? rewritten : statement);
            }
        }

        return root.ReplaceNode(block, block.WithStatements(List(statements)));
    }
}
