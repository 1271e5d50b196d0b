using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace PerfAnalyzers.Core;

/// <summary>One code block handed to a rule: its owner and operation tree, built only after the rule's syntax gate passed.</summary>
internal sealed class CodeBlockContext
{
    private readonly Action<Diagnostic> _report;

    public CodeBlockContext(ISymbol owningSymbol, ImmutableArray<IOperation> operationBlocks, SemanticModelAnalysisContext context)
    {
        OwningSymbol = owningSymbol;
        OperationBlocks = operationBlocks;
        Options = context.Options;
        Compilation = context.SemanticModel.Compilation;
        CancellationToken = context.CancellationToken;
        _report = context.ReportDiagnostic;
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
/// the compilation a second time and build its operation tree, which costs about as much as the compiler's own pass;
/// even a no-op syntax-node action makes it list every node of every declaration. Here each rule registers one
/// semantic-model action per tree and a syntax gate: the tree's members are walked (not their bodies' nodes), each code
/// block's <see cref="BodySyntax"/> is read without binding, and only blocks that can hold the rule's finding are bound,
/// through the driver's semantic model, so rules that pass the same block share its operation tree and <see cref="BlockFacts"/>.
/// </summary>
internal static class CodeBlocks
{
    public static void Register(CompilationStartAnalysisContext start, PerfCompilationContext perf, Func<BodySyntax, SemanticModelAnalysisContext, bool> gate, Action<CodeBlockContext> action)
        => start.RegisterSemanticModelAction(context => AnalyzeTree(context, perf, gate, action));

    private static void AnalyzeTree(SemanticModelAnalysisContext context, PerfCompilationContext perf, Func<BodySyntax, SemanticModelAnalysisContext, bool> gate, Action<CodeBlockContext> action)
    {
        var model = context.SemanticModel;
        if (model.SyntaxTree.GetRoot(context.CancellationToken) is not CompilationUnitSyntax unit)
        {
            return;
        }

        perf.RoundTrips.Summaries.OfferModel(model);
        var filter = context.FilterSpan;
        var dispatcher = new Dispatcher(context, perf, gate, action, filter);
        foreach (var member in unit.Members)
        {
            if (member is GlobalStatementSyntax)
            {
                // Top-level statements are one block (data flows between statements), owned by the synthesized Main.
                dispatcher.TopLevel(unit);
                break;
            }
        }

        foreach (var member in unit.Members)
        {
            dispatcher.Member(member);
        }
    }

    private readonly struct Dispatcher
    {
        private readonly SemanticModelAnalysisContext _context;
        private readonly PerfCompilationContext _perf;
        private readonly Func<BodySyntax, SemanticModelAnalysisContext, bool> _gate;
        private readonly Action<CodeBlockContext> _action;
        private readonly TextSpan? _filter;

        public Dispatcher(SemanticModelAnalysisContext context, PerfCompilationContext perf, Func<BodySyntax, SemanticModelAnalysisContext, bool> gate, Action<CodeBlockContext> action, TextSpan? filter)
        {
            _context = context;
            _perf = perf;
            _gate = gate;
            _action = action;
            _filter = filter;
        }

        private SemanticModel Model => _context.SemanticModel;

        private CancellationToken CancellationToken => _context.CancellationToken;

        public void TopLevel(CompilationUnitSyntax unit)
        {
            foreach (var member in unit.Members)
            {
                if (member is GlobalStatementSyntax statement)
                {
                    if (Passes(unit) && Model.GetEnclosingSymbol(statement.SpanStart, CancellationToken) is IMethodSymbol main && !IsGenerated(main) && Model.GetOperation(unit, CancellationToken) is { } program)
                    {
                        _action(new CodeBlockContext(main, ImmutableArray.Create(program), _context));
                    }

                    return;
                }
            }
        }

        public void Member(MemberDeclarationSyntax member)
        {
            if (_filter is { } filter && !member.FullSpan.IntersectsWith(filter))
            {
                return;
            }

            CancellationToken.ThrowIfCancellationRequested();
            switch (member)
            {
                case BaseNamespaceDeclarationSyntax ns:
                    foreach (var inner in ns.Members)
                    {
                        Member(inner);
                    }

                    break;
                case TypeDeclarationSyntax type:
                    foreach (var inner in type.Members)
                    {
                        Member(inner);
                    }

                    break;
                case BaseMethodDeclarationSyntax method when method.Body is not null || method.ExpressionBody is not null:
                    Block(method, method);
                    break;
                case BasePropertyDeclarationSyntax property:
                    Property(property);
                    break;
                case FieldDeclarationSyntax field:
                    foreach (var variable in field.Declaration.Variables)
                    {
                        if (variable.Initializer is { } initializer && Passes(variable)
                            && Model.GetDeclaredSymbol(variable, CancellationToken) is { } fieldSymbol && !IsGenerated(fieldSymbol) && Model.GetOperation(initializer, CancellationToken) is { } value)
                        {
                            _action(new CodeBlockContext(fieldSymbol, ImmutableArray.Create(value), _context));
                        }
                    }

                    break;
            }
        }

        private void Property(BasePropertyDeclarationSyntax property)
        {
            if (property.AccessorList is { } accessors)
            {
                foreach (var accessor in accessors.Accessors)
                {
                    if (accessor.Body is not null || accessor.ExpressionBody is not null)
                    {
                        Block(accessor, accessor);
                    }
                }
            }

            var arrow = property switch
            {
                PropertyDeclarationSyntax p => p.ExpressionBody,
                IndexerDeclarationSyntax i => i.ExpressionBody,
                _ => null,
            };
            var initializer = (property as PropertyDeclarationSyntax)?.Initializer;
            if ((arrow is null && initializer is null) || !Passes(property) || Model.GetDeclaredSymbol(property, CancellationToken) is not IPropertySymbol symbol || IsGenerated(symbol))
            {
                return;
            }

            if (arrow is not null && symbol.GetMethod is { } getter && Model.GetOperation(arrow, CancellationToken) is { } body)
            {
                _action(new CodeBlockContext(getter, ImmutableArray.Create(body), _context));
            }

            if (initializer is not null && Model.GetOperation(initializer, CancellationToken) is { } value)
            {
                _action(new CodeBlockContext(symbol, ImmutableArray.Create(value), _context));
            }
        }

        /// <summary>A method, constructor, operator or accessor with a body: <c>GetOperation</c> gives its whole body (and constructor initializer).</summary>
        private void Block(SyntaxNode declaration, SyntaxNode operationRoot)
        {
            if (Passes(declaration) && Model.GetDeclaredSymbol(declaration, CancellationToken) is { } owner && !IsGenerated(owner) && Model.GetOperation(operationRoot, CancellationToken) is { } block)
            {
                _action(new CodeBlockContext(owner, ImmutableArray.Create(block), _context));
            }
        }

        private bool Passes(SyntaxNode scope) => _gate(_perf.BodySyntaxOf(scope), _context);

        private bool IsGenerated(ISymbol owner) => GeneratedCode.IsMarkedGenerated(owner, _perf.Types);
    }
}
