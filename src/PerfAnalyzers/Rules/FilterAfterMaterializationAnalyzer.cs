using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Rules;

/// <summary>
/// PERF007: an EF Core query materialized (<c>ToList</c>, <c>ToArray</c>, <c>AsEnumerable</c>, awaited <c>ToListAsync</c>)
/// and then filtered, sorted, paged or aggregated in memory — directly, or through a local used for nothing else.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FilterAfterMaterializationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(RuleDescriptors.PERF007_FilterAfterMaterialization);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var perf = PerfCompilationContext.For(start.Compilation);
            if (perf.Types.DbSet is not null && perf.Types.Enumerable is not null)
            {
                CodeBlocks.Register(start, perf, (body, _) => RuleGates.FilterAfterMaterialization(body), block => AnalyzeBlock(block, perf));
            }
        });
    }

    private static void AnalyzeBlock(CodeBlockContext context, PerfCompilationContext perf)
    {
        var facts = BlockFacts.Get(perf, context.OperationBlocks, context.OwningSymbol, context.CancellationToken);
        List<(IInvocationOperation Materializer, IVariableDeclaratorOperation Declarator)>? throughLocals = null;
        foreach (var operation in facts.CreationsAndCalls)
        {
            if (operation is not IInvocationOperation materializer
                || !MaterializedQueries.IsMaterializer(materializer, perf.Types)
                || MaterializedQueries.MaterializedValue(materializer) is not { } value)
            {
                continue;
            }

            // A query that already takes a bounded number of rows (Take, First) does not bring the table over.
            var query = materializer.GetReceiver();
            if (!MaterializedQueries.IsQueryableSource(query, perf.Types)
                || perf.RoundTrips.GetQueryOrigin(query, facts.Flow, 0) is not { Root: not null } origin
                || (origin.Paging & QueryPaging.Limit) != 0
                || MaterializedQueries.HasUncomposableShape(query, facts.Flow))
            {
                continue;
            }

            if (MaterializedQueries.DeclaringDeclarator(value) is { } declarator)
            {
                (throughLocals ??= new()).Add((materializer, declarator));
                continue;
            }

            Consider(context, materializer, MaterializedQueries.InMemoryChain(value, perf.Types));
        }

        if (throughLocals is null)
        {
            return;
        }

        // A local holding the rows qualifies only when the filter chain is its one and only use: if the full list
        // is also returned, iterated or counted, filtering in the database would change that other use.
        var uses = CollectReads(context.OperationBlocks, throughLocals);
        foreach (var (materializer, declarator) in throughLocals)
        {
            var local = declarator.Symbol;
            if (facts.Flow.GetDefinitions(local).Count == 1 && uses.TryGetValue(local, out var reads) && reads.Count == 1
                && MaterializedQueries.RunsOncePerDeclaration(reads[0], declarator))
            {
                Consider(context, materializer, MaterializedQueries.InMemoryChain(reads[0], perf.Types));
            }
        }
    }

    private static void Consider(CodeBlockContext context, IInvocationOperation materializer, ImmutableArray<IInvocationOperation> chain)
    {
        if (chain.IsEmpty || !MaterializedQueries.IsReportedOperator(chain[0]))
        {
            return;
        }

        // AsEnumerable() before an operator EF cannot translate is the documented way to opt into client evaluation.
        if (materializer.TargetMethod.Name == "AsEnumerable" && MaterializedQueries.TranslatablePrefix(chain) == 0)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            RuleDescriptors.PERF007_FilterAfterMaterialization,
            materializer.Syntax.GetLocation(),
            materializer.TargetMethod.Name,
            chain[0].TargetMethod.Name));
    }

    private static Dictionary<ILocalSymbol, List<IOperation>> CollectReads(ImmutableArray<IOperation> blocks, List<(IInvocationOperation Materializer, IVariableDeclaratorOperation Declarator)> candidates)
    {
        var reads = new Dictionary<ILocalSymbol, List<IOperation>>(SymbolEqualityComparer.Default);
        foreach (var (_, declarator) in candidates)
        {
            reads[declarator.Symbol] = new List<IOperation>(1);
        }

        foreach (var block in blocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                if (operation is ILocalReferenceOperation { IsDeclaration: false } reference && reads.TryGetValue(reference.Local, out var list))
                {
                    list.Add(reference);
                }
            }
        }

        return reads;
    }
}
