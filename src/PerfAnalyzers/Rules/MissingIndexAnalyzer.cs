using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Rules;

/// <summary>
/// PERF006: an executed EF Core query filters (equality or range) on a property no index leads with, while the
/// model in source shows every index. Quiet when any part of the model is configured out of sight.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MissingIndexAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: where the index goes (<see cref="IndexDeclarationStyle"/>).</summary>
    public const string StyleProperty = "Style";

    /// <summary>Diagnostic property: the property to index.</summary>
    public const string PropertyProperty = "Property";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(RuleDescriptors.PERF006_FilterWithoutIndex);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var perf = PerfCompilationContext.For(start.Compilation);
            if (perf.Types.DbSet is not null && perf.Types.DbContext is not null)
            {
                CodeBlocks.Register(start, perf, (body, tree) => RuleGates.MissingIndex(body, tree.SemanticModel.Compilation, tree.CancellationToken), block => AnalyzeBlock(block, perf));
            }
        });
    }

    private static void AnalyzeBlock(CodeBlockContext context, PerfCompilationContext perf)
    {
        var facts = BlockFacts.Get(perf, context.OperationBlocks, context.OwningSymbol, context.CancellationToken);
        HashSet<(string, string)>? reported = null;
        ImmutableArray<string>? smallTables = null;
        foreach (var roundTrip in facts.RoundTrips)
        {
            // Queries, and the bulk ExecuteUpdate/ExecuteDelete writes that find their rows the same way.
            if (roundTrip.Library != DataAccessLibrary.EfCore || roundTrip.IsInterprocedural
                || UnindexedFilters.Find(roundTrip.Operation, perf.Types, facts.Flow) is not { } query)
            {
                continue;
            }

            var model = EfIndexModel.Get(context.Compilation, context.CancellationToken);
            if (model.For(query.Entity) is not { } entityFacts || entityFacts.IsNarrowedByQueryFilter)
            {
                continue;
            }

            smallTables ??= SmallTables(context);
            if (smallTables.Value.Contains(entityFacts.EntityFullName, StringComparer.Ordinal))
            {
                continue;
            }

            if (query.IsNarrowedBy(entityFacts.IndexedLeadingColumns))
            {
                continue;
            }

            foreach (var filter in query.Filters)
            {
                // A shadow property is a column only when the model declares it (a CLR property of that name is read as such).
                if (entityFacts.IndexedLeadingColumns.Contains(filter.Name)
                    || (filter.Property is null && !entityFacts.ShadowProperties.Contains(filter.Name)))
                {
                    continue;
                }

                reported ??= new HashSet<(string, string)>();
                if (!reported.Add((entityFacts.EntityFullName, filter.Name)))
                {
                    continue;
                }

                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(StyleProperty, entityFacts.Style.ToString())
                    .Add(PropertyProperty, filter.Name);
                var additional = entityFacts.DeclarationSite is { } site ? new[] { Location.Create(site.SyntaxTree, site.Span) } : Array.Empty<Location>();
                context.ReportDiagnostic(Diagnostic.Create(
                    RuleDescriptors.PERF006_FilterWithoutIndex,
                    filter.Syntax.GetLocation(),
                    additional,
                    properties,
                    entityFacts.EntityName,
                    filter.Name));
            }
        }
    }

    private static ImmutableArray<string> SmallTables(CodeBlockContext context)
    {
        var tree = context.OperationBlocks.IsEmpty ? null : context.OperationBlocks[0].Syntax.SyntaxTree;
        if (tree is null)
        {
            return ImmutableArray<string>.Empty;
        }

        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        return PerfOptions.SmallTables.GetValidValue(options, DiagnosticIds.MissingIndex) is { } value
            ? PerfOptions.SplitNameList(value)
            : ImmutableArray<string>.Empty;
    }
}
