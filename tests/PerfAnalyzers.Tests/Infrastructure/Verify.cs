using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace PerfAnalyzers.Tests.Infrastructure;

/// <summary>Runs an analyzer over test sources compiled against the real packages (see <see cref="ReferenceSet"/>).</summary>
public static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>
    /// Analyzes <paramref name="source"/> (plus the shared blog/orders model unless <paramref name="includeModel"/> is false).
    /// Expected diagnostics are marked in the source: <c>{|PERF001:expr|}</c>.
    /// </summary>
    public static Task AnalyzerAsync(string source, bool includeModel = true, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        if (includeModel)
        {
            test.TestState.Sources.Add(("Model.cs", TestModel.Source));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected) => AnalyzerAsync(source, true, expected);

    public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, DiagnosticSeverity.Warning);

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = ReferenceSet.Net10;
            TestState.AdditionalReferences.AddRange(ReferenceSet.Libraries);

            // A rule may have a live and a compilation-end descriptor under one id; markup means the live one.
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
        }

        protected override ParseOptions CreateParseOptions()
            => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.CSharp12);

        protected override CompilationOptions CreateCompilationOptions()
            => ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Disable);
    }
}

/// <summary>Runs a code fix over test sources compiled against the real packages.</summary>
public static class VerifyFix<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task CodeFixAsync(string source, string fixedSource, bool includeModel = true, int? codeActionIndex = null, string? equivalenceKey = null)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource, CodeActionIndex = codeActionIndex, CodeActionEquivalenceKey = equivalenceKey };
        if (includeModel)
        {
            test.TestState.Sources.Add(("Model.cs", TestModel.Source));
            test.FixedState.Sources.Add(("Model.cs", TestModel.Source));
        }

        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = ReferenceSet.Net10;
            TestState.AdditionalReferences.AddRange(ReferenceSet.Libraries);

            // A rule may have a live and a compilation-end descriptor under one id; markup means the live one.
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
        }

        protected override ParseOptions CreateParseOptions()
            => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.CSharp12);

        protected override CompilationOptions CreateCompilationOptions()
            => ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Disable);
    }
}
