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
    public static readonly DiagnosticAnalyzer NPlusOne = new NPlusOneAnalyzer();
    public static readonly DiagnosticAnalyzer AwaitedRemoteLogging = new AwaitedRemoteLoggingAnalyzer();
    public static readonly DiagnosticAnalyzer PooledResourcePerRequest = new PooledResourcePerRequestAnalyzer();
    public static readonly DiagnosticAnalyzer RepeatedLookup = new RepeatedLookupAnalyzer();

    /// <summary>Every PerfAnalyzers analyzer, as the package ships them (they share one per-compilation context).</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> All = ImmutableArray.Create(NPlusOne, AwaitedRemoteLogging, PooledResourcePerRequest, RepeatedLookup);

    /// <summary>Rule id → the analyzer that reports it, alone.</summary>
    public static readonly ImmutableArray<(string Rule, DiagnosticAnalyzer Analyzer)> ByRule = ImmutableArray.Create(
        ("PERF001", NPlusOne),
        ("PERF002", AwaitedRemoteLogging),
        ("PERF003", PooledResourcePerRequest),
        ("PERF004", RepeatedLookup));

    /// <summary>Registers nothing: what the analyzer driver costs on its own.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> Empty = ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer());

    /// <summary>An operation-block action that does nothing: the price any IOperation-based analyzer pays (operation trees).</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> NoOpOperationBlock = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpOperationBlockAnalyzer());

    /// <summary>A syntax-node action on every code block that does nothing: the driver's price for the syntax gates PerfAnalyzers uses.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> NoOpSyntaxNode = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpSyntaxNodeAnalyzer());

    /// <summary>A semantic-model action that does nothing: one callback per tree, with the tree's semantic model.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> NoOpSemanticModel = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpSemanticModelAnalyzer());

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
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class EmptyAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Descriptor = new("BENCH000", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptor);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
    }
}

[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpOperationBlockAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Descriptor = new("BENCH001", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptor);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start => start.RegisterOperationBlockAction(_ => { }));
    }
}

[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpSyntaxNodeAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Descriptor = new("BENCH003", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptor);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(
            _ => { },
            Microsoft.CodeAnalysis.CSharp.SyntaxKind.MethodDeclaration,
            Microsoft.CodeAnalysis.CSharp.SyntaxKind.ConstructorDeclaration,
            Microsoft.CodeAnalysis.CSharp.SyntaxKind.GetAccessorDeclaration,
            Microsoft.CodeAnalysis.CSharp.SyntaxKind.PropertyDeclaration,
            Microsoft.CodeAnalysis.CSharp.SyntaxKind.GlobalStatement);
    }
}

[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpSemanticModelAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Descriptor = new("BENCH004", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptor);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSemanticModelAction(_ => { });
    }
}
#pragma warning restore RS1001, RS1036, RS1038, RS1041, RS2008
