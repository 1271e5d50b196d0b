using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PerfAnalyzers.Rules;

namespace PerfAnalyzers.Benchmarks.Subject;

/// <summary>The analyzer sets measured: each PerfAnalyzers rule, all of them, and two reference analyzers.</summary>
public static class AnalyzerSets
{
    /// <summary>
    /// Every PerfAnalyzers analyzer, as the package ships them (they share one per-compilation context): each
    /// non-abstract <see cref="DiagnosticAnalyzer"/> with <see cref="DiagnosticAnalyzerAttribute"/> in the Rules
    /// namespace of the analyzer assembly, found by reflection so a new rule is measured without touching this file.
    /// </summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> All = DiscoverShippedAnalyzers();

    /// <summary>Rule id → the analyzer that reports it, alone; ordered by rule id.</summary>
    public static readonly ImmutableArray<(string Rule, DiagnosticAnalyzer Analyzer)> ByRule = All
        .Select(analyzer => (Rule: RuleIdOf(analyzer), Analyzer: analyzer))
        .OrderBy(r => r.Rule, StringComparer.Ordinal)
        .ToImmutableArray();

    /// <summary>Every rule id the package reports, ordered (PERF000, PERF001, ...).</summary>
    public static readonly ImmutableArray<string> RuleIds = ByRule.Select(r => r.Rule).ToImmutableArray();

    public static DiagnosticAnalyzer ForRule(string rule) => ByRule.Single(r => r.Rule == rule).Analyzer;

    public static string RuleOf(DiagnosticAnalyzer analyzer) => ByRule.Single(r => r.Analyzer == analyzer).Rule;

    private static ImmutableArray<DiagnosticAnalyzer> DiscoverShippedAnalyzers()
    {
        var rulesNamespace = typeof(NPlusOneAnalyzer).Namespace;
        return typeof(NPlusOneAnalyzer).Assembly.GetTypes()
            .Where(t => t.Namespace == rulesNamespace
                        && !t.IsAbstract
                        && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                        && t.IsDefined(typeof(DiagnosticAnalyzerAttribute), inherit: false))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
    }

    /// <summary>An analyzer's descriptors may differ in message (live vs. compilation end) but share one rule id.</summary>
    private static string RuleIdOf(DiagnosticAnalyzer analyzer)
    {
        var ids = analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct().ToList();
        return ids.Count == 1
            ? ids[0]
            : throw new InvalidOperationException($"{analyzer.GetType().Name} reports {ids.Count} rule ids ({string.Join(", ", ids)}); the benchmark measures one rule per analyzer.");
    }

    /// <summary>Registers nothing: what the analyzer driver costs on its own.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> Empty = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpAnalyzer("BENCH000", _ => { }));

    /// <summary>An operation-block action that does nothing: the price any IOperation-based analyzer pays (operation trees).</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> NoOpOperationBlock = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpAnalyzer("BENCH001", c => c.RegisterCompilationStartAction(start => start.RegisterOperationBlockAction(_ => { }))));

    /// <summary>A syntax-node action on every code block that does nothing: the driver's price for the syntax gates PerfAnalyzers uses.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> NoOpSyntaxNode = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpAnalyzer("BENCH003", c => c.RegisterSyntaxNodeAction(
        _ => { },
        Microsoft.CodeAnalysis.CSharp.SyntaxKind.MethodDeclaration,
        Microsoft.CodeAnalysis.CSharp.SyntaxKind.ConstructorDeclaration,
        Microsoft.CodeAnalysis.CSharp.SyntaxKind.GetAccessorDeclaration,
        Microsoft.CodeAnalysis.CSharp.SyntaxKind.PropertyDeclaration,
        Microsoft.CodeAnalysis.CSharp.SyntaxKind.GlobalStatement)));

    /// <summary>A semantic-model action that does nothing: one callback per tree, with the tree's semantic model.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> NoOpSemanticModel = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpAnalyzer("BENCH004", c => c.RegisterSemanticModelAction(_ => { })));

    /// <summary>
    /// A semantic-model action that asks for the operation tree of every method body of its tree and does nothing with
    /// it: what binding every block through the driver's own semantic model costs (the compiler caches its bound
    /// method bodies on that model when analyzers are attached).
    /// </summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> NoOpGetOperationEveryBody = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpAnalyzer("BENCH005", c => c.RegisterSemanticModelAction(context =>
    {
        foreach (var method in context.SemanticModel.SyntaxTree.GetRoot(context.CancellationToken).DescendantNodes(n => n is not Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax).OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax>())
        {
            context.SemanticModel.GetOperation(method, context.CancellationToken);
        }
    })));

    /// <summary>A semantic-model action that asks for the symbol of every invocation of its tree: what targeted binding costs.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> NoOpSymbolInfoEveryInvocation = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpAnalyzer("BENCH006", c => c.RegisterSemanticModelAction(context =>
    {
        foreach (var invocation in context.SemanticModel.SyntaxTree.GetRoot(context.CancellationToken).DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>())
        {
            context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken);
        }
    })));

    public static ImmutableArray<DiagnosticAnalyzer> Single(DiagnosticAnalyzer analyzer) => ImmutableArray.Create(analyzer);
}

/// <summary>How every measurement runs an analyzer set. All single-threaded, each on a fresh compilation.</summary>
public static class AnalysisRunner
{
    public static CompilationWithAnalyzersOptions Options(bool logAnalyzerExecutionTime = false)
        => new(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: null,
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: logAnalyzerExecutionTime,
            reportSuppressedDiagnostics: false);

    /// <summary>The compiler alone: declaration and method-body diagnostics (all binding), no analyzer driver, no emit.</summary>
    public static ImmutableArray<Diagnostic> CompileOnly(BenchmarkSubject subject)
        => subject.Compilation.Clone().GetDiagnostics(CancellationToken.None);

    /// <summary>Full-compilation analysis (what a command-line build runs), including compilation-end actions.</summary>
    public static ImmutableArray<Diagnostic> AnalyzeCompilation(BenchmarkSubject subject, ImmutableArray<DiagnosticAnalyzer> analyzers)
        => subject.Compilation.Clone()
            .WithAnalyzers(analyzers, Options())
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None)
            .GetAwaiter().GetResult();

    /// <summary>Per-analyzer execution time as Roslyn itself measures it (what -p:ReportAnalyzer=true prints).</summary>
    public static ImmutableDictionary<DiagnosticAnalyzer, System.TimeSpan> AnalyzerExecutionTimes(BenchmarkSubject subject, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var withAnalyzers = subject.Compilation.Clone().WithAnalyzers(analyzers, Options(logAnalyzerExecutionTime: true));
        withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        return analyzers.ToImmutableDictionary(
            a => a,
            a => withAnalyzers.GetAnalyzerTelemetryInfoAsync(a, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime);
    }

    /// <summary>The IDE after an edit, compiler only: the edited document's semantic diagnostics on a fresh compilation.</summary>
    public static ImmutableArray<Diagnostic> IdeDocumentCompilerOnly(BenchmarkSubject subject)
    {
        var (compilation, document) = subject.CompilationAfterEdit();
        return compilation.GetSemanticModel(document).GetDiagnostics(null, CancellationToken.None);
    }

    /// <summary>
    /// The IDE after an edit, with analyzers: <c>GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null)</c> for the
    /// edited document on a fresh compilation (includes binding the document; no compilation-end actions).
    /// </summary>
    public static ImmutableArray<Diagnostic> IdeDocumentAnalyze(BenchmarkSubject subject, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var (compilation, document) = subject.CompilationAfterEdit();
        var withAnalyzers = compilation.WithAnalyzers(analyzers, Options());
        var model = withAnalyzers.Compilation.GetSemanticModel(document);
        return withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, null, CancellationToken.None).GetAwaiter().GetResult();
    }
}

#pragma warning disable RS1001, RS1036, RS1038, RS1041, RS2008 // Benchmark-only reference analyzers, never shipped.

/// <summary>A reference analyzer that reports nothing: it only registers what <paramref name="register"/> registers.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpAnalyzer(string id, Action<AnalysisContext> register) : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(new DiagnosticDescriptor(id, "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true));

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        register(context);
    }
}
#pragma warning restore RS1001, RS1036, RS1038, RS1041, RS2008
