using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using PerfAnalyzers.Rules;

namespace PerfAnalyzers.Tests.Infrastructure;

/// <summary>
/// Several rules over one realistic source, as the held-out-style corpora run them: C# 12, nullable disabled, the real
/// packages, and the shared files the corpus's code builds on. Expectations are markup (<c>{|PERF00n:...|}</c>) or
/// <see cref="Warn"/>/<see cref="Repeat"/> results.
/// </summary>
internal sealed class CorpusTest : CSharpAnalyzerTest<NPlusOneAnalyzer, DefaultVerifier>
{
    private readonly DiagnosticAnalyzer[] _analyzers;

    private CorpusTest(DiagnosticAnalyzer[] analyzers, (string Name, string Source)[] sharedSources, string code)
    {
        _analyzers = analyzers;
        ReferenceAssemblies = ReferenceSet.Net10;
        TestState.AdditionalReferences.AddRange(ReferenceSet.Libraries);
        foreach (var source in sharedSources)
        {
            TestState.Sources.Add(source);
        }

        TestCode = code;
        MarkupOptions = MarkupOptions.UseFirstDescriptor;
    }

    /// <summary>PERF001-PERF004, fresh instances.</summary>
    public static DiagnosticAnalyzer[] FirstFourRules() => new DiagnosticAnalyzer[]
    {
        new NPlusOneAnalyzer(),
        new AwaitedRemoteLoggingAnalyzer(),
        new PooledResourcePerRequestAnalyzer(),
        new RepeatedLookupAnalyzer(),
    };

    /// <summary>PERF005-PERF008, fresh instances.</summary>
    public static DiagnosticAnalyzer[] NextFourRules() => new DiagnosticAnalyzer[]
    {
        new CacheEntryWithoutExpirationAnalyzer(),
        new MissingIndexAnalyzer(),
        new FilterAfterMaterializationAnalyzer(),
        new RemoteCallPerIterationAnalyzer(),
    };

    public static Task RunAsync(DiagnosticAnalyzer[] analyzers, (string Name, string Source)[] sharedSources, string code, DiagnosticResult[] expected)
    {
        var test = new CorpusTest(analyzers, sharedSources, code);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public static DiagnosticResult Warn(string id, int markup) => new DiagnosticResult(id, DiagnosticSeverity.Warning).WithLocation(markup);

    /// <summary>A repeat within a method: reported (info) at the repeat, with the first execution as additional location.</summary>
    public static DiagnosticResult Repeat(int repeat, int first)
        => new DiagnosticResult("PERF004", DiagnosticSeverity.Info).WithLocation(repeat).WithLocation(first);

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => _analyzers;

    protected override ParseOptions CreateParseOptions()
        => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.CSharp12);

    protected override CompilationOptions CreateCompilationOptions()
        => ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Disable);
}
