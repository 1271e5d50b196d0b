using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace PerfAnalyzers.Tests.Robustness;

/// <summary>The suite's own harness: an analyzer exception is seen through <c>onAnalyzerException</c>, in both analysis modes.</summary>
[Collection(RobustnessCollection.Name)]
public sealed class HarnessSelfTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ThrowingAnalyzer_IsRecorded(bool singleTree)
    {
        var references = await RobustnessEnvironment.GetReferencesAsync();
        var tree = RobustnessEnvironment.Parse("class C { void M() { } }", "C.cs");
        var compilation = CSharpCompilation.Create("SelfTest", new[] { tree }, references, RobustnessEnvironment.CompilationOptions(OutputKind.DynamicallyLinkedLibrary, NullableContextOptions.Disable));

        var result = await AnalyzerRunner.RunAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new ThrowingAnalyzer()), concurrent: true, singleTree ? tree : null);

        var failure = Assert.Single(result.Failures);
        Assert.IsType<InvalidOperationException>(failure.Exception);
        Assert.Contains("robustness self-test", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedRules_DoNotIncludeTestAnalyzers()
        => Assert.DoesNotContain(typeof(ThrowingAnalyzer), ShippedRules.AnalyzerTypes);

#pragma warning disable RS1036, RS2008 // A deliberately broken test analyzer, not a shipped one.
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TEST001", "t", "t", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationBlockAction(_ => throw new InvalidOperationException("robustness self-test"));
        }
    }
#pragma warning restore RS1036, RS2008
}
