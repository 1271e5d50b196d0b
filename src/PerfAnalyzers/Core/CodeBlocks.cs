using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfAnalyzers.Core;

/// <summary>One code block handed to a rule: its owner and operation tree, built only after the rule's syntax gate passed.</summary>
internal sealed class CodeBlockContext
{
    private readonly Action<Diagnostic> _report;

    public CodeBlockContext(ISymbol owningSymbol, ImmutableArray<IOperation> operationBlocks, SyntaxNodeAnalysisContext context, Action<Diagnostic>? report = null)
    {
        OwningSymbol = owningSymbol;
        OperationBlocks = operationBlocks;
        Options = context.Options;
        Compilation = context.Compilation;
        CancellationToken = context.CancellationToken;
        _report = report ?? context.ReportDiagnostic;
    }

    /// <summary>The method, accessor, field or property the block belongs to.</summary>
    public ISymbol OwningSymbol { get; }

    public ImmutableArray<IOperation> OperationBlocks { get; }

    public AnalyzerOptions Options { get; }

    public Compilation Compilation { get; }

    public CancellationToken CancellationToken { get; }

    public void ReportDiagnostic(Diagnostic diagnostic) => _report(diagnostic);
}

/// <summary>
/// Syntax-first dispatch of code blocks to rules. An <c>OperationBlockAction</c> makes the driver bind every body of
/// the compilation a second time and build its operation tree, which costs about as much as the compiler's own pass.
/// Here each rule registers a syntax gate instead: the block's <see cref="BodySyntax"/> is read without binding, and only
/// blocks that can hold the rule's finding are bound (once, through the driver's shared semantic model, so the rules
/// that pass the same block share its operation tree and <see cref="BlockFacts"/>).
/// </summary>
internal static class CodeBlocks
{
    private static readonly SyntaxKind[] DeclarationKinds =
    {
        SyntaxKind.MethodDeclaration, SyntaxKind.ConstructorDeclaration, SyntaxKind.DestructorDeclaration,
        SyntaxKind.OperatorDeclaration, SyntaxKind.ConversionOperatorDeclaration,
        SyntaxKind.GetAccessorDeclaration, SyntaxKind.SetAccessorDeclaration, SyntaxKind.InitAccessorDeclaration,
        SyntaxKind.AddAccessorDeclaration, SyntaxKind.RemoveAccessorDeclaration,
        SyntaxKind.PropertyDeclaration, SyntaxKind.IndexerDeclaration, SyntaxKind.FieldDeclaration,
        SyntaxKind.GlobalStatement,
    };

    public static void Register(CompilationStartAnalysisContext start, PerfCompilationContext perf, Func<BodySyntax, SyntaxNodeAnalysisContext, bool> gate, Action<CodeBlockContext> action)
        => start.RegisterSyntaxNodeAction(context => Dispatch(context, perf, gate, action), DeclarationKinds);

    private static void Dispatch(SyntaxNodeAnalysisContext context, PerfCompilationContext perf, Func<BodySyntax, SyntaxNodeAnalysisContext, bool> gate, Action<CodeBlockContext> action)
    {
        var node = context.Node;
        var scope = node;
        if (node is GlobalStatementSyntax global)
        {
            if (global.Parent is not CompilationUnitSyntax unit)
            {
                return;
            }

            scope = unit;
        }
        else if (!HasCode(node))
        {
            return;
        }

        var syntax = perf.BodySyntaxOf(scope);
        perf.RequestGraph.Index(scope, syntax);
        if (!gate(syntax, context))
        {
            return;
        }

        var model = context.SemanticModel;
        perf.RoundTrips.Summaries.OfferModel(model);
        var cancellationToken = context.CancellationToken;
        switch (node)
        {
            case GlobalStatementSyntax:
                // Top-level statements are one block (data flows between statements), analyzed once per rule; but the
                // driver analyzes each statement as its own declaration, and a diagnostic belongs to the statement it is in.
                var results = perf.TopLevelDiagnostics.GetOrAdd((scope, action), _ => new Lazy<ImmutableArray<Diagnostic>>(() =>
                {
                    var found = ImmutableArray.CreateBuilder<Diagnostic>();
                    if (model.GetEnclosingSymbol(node.SpanStart, cancellationToken) is IMethodSymbol main && model.GetOperation(scope, cancellationToken) is { } program)
                    {
                        action(new CodeBlockContext(main, ImmutableArray.Create(program), context, found.Add));
                    }

                    return found.ToImmutable();
                }));
                foreach (var diagnostic in results.Value)
                {
                    if (node.FullSpan.Contains(diagnostic.Location.SourceSpan.Start))
                    {
                        context.ReportDiagnostic(diagnostic);
                    }
                }

                break;
            case FieldDeclarationSyntax field:
                foreach (var variable in field.Declaration.Variables)
                {
                    if (variable.Initializer is { } initializer && model.GetDeclaredSymbol(variable, cancellationToken) is { } fieldSymbol
                        && model.GetOperation(initializer, cancellationToken) is { } value)
                    {
                        action(new CodeBlockContext(fieldSymbol, ImmutableArray.Create(value), context));
                    }
                }

                break;
            case BasePropertyDeclarationSyntax property:
                if (model.GetDeclaredSymbol(property, cancellationToken) is not IPropertySymbol propertySymbol)
                {
                    break;
                }

                var arrow = property switch
                {
                    PropertyDeclarationSyntax p => p.ExpressionBody,
                    IndexerDeclarationSyntax i => i.ExpressionBody,
                    _ => null,
                };
                if (arrow is not null && propertySymbol.GetMethod is { } getter && model.GetOperation(arrow, cancellationToken) is { } body)
                {
                    action(new CodeBlockContext(getter, ImmutableArray.Create(body), context));
                }

                if (property is PropertyDeclarationSyntax { Initializer: { } propertyInitializer } && model.GetOperation(propertyInitializer, cancellationToken) is { } initial)
                {
                    action(new CodeBlockContext(propertySymbol, ImmutableArray.Create(initial), context));
                }

                break;
            default:
                if (model.GetDeclaredSymbol(node, cancellationToken) is { } owner && model.GetOperation(node, cancellationToken) is { } block)
                {
                    action(new CodeBlockContext(owner, ImmutableArray.Create(block), context));
                }

                break;
        }
    }

    /// <summary>Declarations without code (abstract, extern, partial definitions, auto-accessors) are skipped before any walk.</summary>
    private static bool HasCode(SyntaxNode node) => node switch
    {
        BaseMethodDeclarationSyntax method => method.Body is not null || method.ExpressionBody is not null,
        AccessorDeclarationSyntax accessor => accessor.Body is not null || accessor.ExpressionBody is not null,
        PropertyDeclarationSyntax property => property.ExpressionBody is not null || property.Initializer is not null,
        IndexerDeclarationSyntax indexer => indexer.ExpressionBody is not null,
        FieldDeclarationSyntax field => HasInitializer(field),
        _ => true,
    };

    private static bool HasInitializer(FieldDeclarationSyntax field)
    {
        foreach (var variable in field.Declaration.Variables)
        {
            if (variable.Initializer is not null)
            {
                return true;
            }
        }

        return false;
    }
}
