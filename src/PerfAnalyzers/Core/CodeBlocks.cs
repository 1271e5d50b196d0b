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
/// semantic-model action per tree and a syntax gate. The tree's code blocks are listed once per compilation and shared by
/// every rule (<see cref="TreeCodeBlocks"/>); each block's <see cref="BodySyntax"/> is read without binding, and only
/// blocks that can hold the rule's finding are bound, through the driver's semantic model, so rules that pass the same
/// block share its owner, operation tree and <see cref="BlockFacts"/>.
/// </summary>
internal static class CodeBlocks
{
    /// <summary>About how many rules share each tree's blocks (see <see cref="AnalyzeTree"/>).</summary>
    private const int RulesSharingBlocks = 8;

    public static void Register(CompilationStartAnalysisContext start, PerfCompilationContext perf, Func<BodySyntax, SemanticModelAnalysisContext, bool> gate, Action<CodeBlockContext> action)
    {
        var slot = perf.NextRuleSlot();
        start.RegisterSemanticModelAction(context => AnalyzeTree(context, perf, slot, gate, action));
    }

    /// <summary>
    /// Runs one rule over a tree's blocks. With concurrent analysis the driver runs several rules on the same tree at once;
    /// each starts at a different block (by its registration slot), so they bind different blocks side by side instead of
    /// all waiting for whichever binds block 0, then block 1, and so on. The order does not change what is reported.
    /// </summary>
    private static void AnalyzeTree(SemanticModelAnalysisContext context, PerfCompilationContext perf, int slot, Func<BodySyntax, SemanticModelAnalysisContext, bool> gate, Action<CodeBlockContext> action)
    {
        var model = context.SemanticModel;
        var cancellationToken = context.CancellationToken;
        if (model.SyntaxTree.GetRoot(cancellationToken) is not CompilationUnitSyntax)
        {
            return;
        }

        perf.RoundTrips.Summaries.OfferModel(model);
        var filter = context.FilterSpan;
        var blocks = perf.CodeBlocksOf(model.SyntaxTree, cancellationToken).Blocks;
        var first = blocks.Length == 0 ? 0 : (int)((long)(slot % RulesSharingBlocks) * blocks.Length / RulesSharingBlocks);
        for (var i = 0; i < blocks.Length; i++)
        {
            var block = blocks[(first + i) % blocks.Length];
            if (filter is { } span && block.Member is { } member && !member.FullSpan.IntersectsWith(span))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (gate(block.SyntaxFacts(perf), context) && block.Bind(model, perf, cancellationToken) is { } bound)
            {
                action(new CodeBlockContext(bound.Owner, bound.Operations, context));
            }
        }
    }
}

/// <summary>The code blocks of one tree, in source order (top-level statements first), listed from syntax once per compilation.</summary>
internal sealed class TreeCodeBlocks
{
    private TreeCodeBlocks(ImmutableArray<CodeBlock> blocks) => Blocks = blocks;

    public ImmutableArray<CodeBlock> Blocks { get; }

    public static TreeCodeBlocks List(CompilationUnitSyntax unit)
    {
        var blocks = ImmutableArray.CreateBuilder<CodeBlock>();
        foreach (var member in unit.Members)
        {
            if (member is GlobalStatementSyntax statement)
            {
                // Top-level statements are one block (data flows between statements), owned by the synthesized Main.
                blocks.Add(new CodeBlock(CodeBlockKind.TopLevelStatements, unit, unit, member: null, statement));
                break;
            }
        }

        foreach (var member in unit.Members)
        {
            AddMember(member, blocks);
        }

        return new TreeCodeBlocks(blocks.ToImmutable());
    }

    private static void AddMember(MemberDeclarationSyntax member, ImmutableArray<CodeBlock>.Builder blocks)
    {
        switch (member)
        {
            case BaseNamespaceDeclarationSyntax ns:
                foreach (var inner in ns.Members)
                {
                    AddMember(inner, blocks);
                }

                break;
            case TypeDeclarationSyntax type:
                foreach (var inner in type.Members)
                {
                    AddMember(inner, blocks);
                }

                break;
            case BaseMethodDeclarationSyntax method when method.Body is not null || method.ExpressionBody is not null:
                // GetOperation on the declaration gives its whole body (and a constructor's initializer).
                blocks.Add(new CodeBlock(CodeBlockKind.Declaration, method, method, method, method));
                break;
            case BasePropertyDeclarationSyntax property:
                if (property.AccessorList is { } accessors)
                {
                    foreach (var accessor in accessors.Accessors)
                    {
                        if (accessor.Body is not null || accessor.ExpressionBody is not null)
                        {
                            blocks.Add(new CodeBlock(CodeBlockKind.Declaration, accessor, accessor, property, accessor));
                        }
                    }
                }

                var arrow = property switch
                {
                    PropertyDeclarationSyntax p => p.ExpressionBody,
                    IndexerDeclarationSyntax i => i.ExpressionBody,
                    _ => null,
                };
                if (arrow is not null)
                {
                    blocks.Add(new CodeBlock(CodeBlockKind.PropertyArrow, property, arrow, property, property));
                }

                if ((property as PropertyDeclarationSyntax)?.Initializer is { } initializer)
                {
                    blocks.Add(new CodeBlock(CodeBlockKind.PropertyInitializer, property, initializer, property, property));
                }

                break;
            case FieldDeclarationSyntax field:
                foreach (var variable in field.Declaration.Variables)
                {
                    if (variable.Initializer is { } fieldInitializer)
                    {
                        blocks.Add(new CodeBlock(CodeBlockKind.FieldInitializer, variable, fieldInitializer, field, variable));
                    }
                }

                break;
        }
    }
}

internal enum CodeBlockKind
{
    /// <summary>A method, constructor, operator or accessor with a body: <c>GetOperation</c> on it gives the whole body.</summary>
    Declaration,
    PropertyArrow,
    PropertyInitializer,
    FieldInitializer,
    TopLevelStatements,
}

/// <summary>
/// One code block. Its syntax facts, owner and operation tree are computed by the first rule that asks and then shared;
/// rules that ask at the same time (concurrent analysis) wait for it rather than compute them again.
/// </summary>
internal sealed class CodeBlock
{
    private readonly SyntaxNode _operationRoot;
    private readonly SyntaxNode _symbolNode;
    private readonly object _gate = new();
    private BodySyntax? _syntax;
    private BoundCodeBlock? _bound;
    private bool _bindingDone;

    public CodeBlock(CodeBlockKind kind, SyntaxNode scope, SyntaxNode operationRoot, MemberDeclarationSyntax? member, SyntaxNode symbolNode)
    {
        Kind = kind;
        Scope = scope;
        _operationRoot = operationRoot;
        Member = member;
        _symbolNode = symbolNode;
    }

    public CodeBlockKind Kind { get; }

    /// <summary>The node whose syntax the gates read (a property's arrow body and initializer share the property).</summary>
    public SyntaxNode Scope { get; }

    /// <summary>The member declaration an IDE filter span is compared with (null for top-level statements).</summary>
    public MemberDeclarationSyntax? Member { get; }

    public BodySyntax SyntaxFacts(PerfCompilationContext perf)
    {
        if (Volatile.Read(ref _syntax) is { } syntax)
        {
            return syntax;
        }

        lock (_gate)
        {
            return _syntax ??= perf.BodySyntaxOf(Scope);
        }
    }

    /// <summary>The owner and operation tree, or null when either is missing or the owner is generated code.</summary>
    public BoundCodeBlock? Bind(SemanticModel model, PerfCompilationContext perf, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _bindingDone))
        {
            return _bound;
        }

        lock (_gate)
        {
            if (_bindingDone)
            {
                return _bound;
            }

            var bound = Owner(model, cancellationToken) is { } owner && !GeneratedCode.IsMarkedGenerated(owner, perf.Types)
                && model.GetOperation(_operationRoot, cancellationToken) is { } operation
                ? new BoundCodeBlock(owner, ImmutableArray.Create(operation))
                : null;
            _bound = bound;
            Volatile.Write(ref _bindingDone, true);
            return bound;
        }
    }

    private ISymbol? Owner(SemanticModel model, CancellationToken cancellationToken)
    {
        switch (Kind)
        {
            case CodeBlockKind.TopLevelStatements:
                return model.GetEnclosingSymbol(_symbolNode.SpanStart, cancellationToken) as IMethodSymbol;
            case CodeBlockKind.PropertyArrow:
                return (model.GetDeclaredSymbol(_symbolNode, cancellationToken) as IPropertySymbol)?.GetMethod;
            case CodeBlockKind.PropertyInitializer:
                return model.GetDeclaredSymbol(_symbolNode, cancellationToken) as IPropertySymbol;
            default:
                return model.GetDeclaredSymbol(_symbolNode, cancellationToken);
        }
    }
}

/// <summary>A code block's owner and its operation tree.</summary>
internal sealed class BoundCodeBlock
{
    public BoundCodeBlock(ISymbol owner, ImmutableArray<IOperation> operations)
    {
        Owner = owner;
        Operations = operations;
    }

    public ISymbol Owner { get; }

    public ImmutableArray<IOperation> Operations { get; }
}
