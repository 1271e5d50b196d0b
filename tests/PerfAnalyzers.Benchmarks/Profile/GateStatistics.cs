using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using PerfAnalyzers.Benchmarks.Subject;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Benchmarks.Profile;

/// <summary>
/// How many code blocks each rule's syntax gate lets through to binding (<see cref="RuleGates"/>), by count and by
/// size: the analyzers' cost over the compiler's is roughly the share of body text that some gate passes.
/// </summary>
public static class GateStatistics
{
    public static int Run(IEnumerable<int> sizes)
    {
        foreach (var size in sizes)
        {
            var subject = BenchmarkSubject.Get(size);
            var compilation = subject.Compilation.Clone();
            var perf = PerfCompilationContext.For(compilation);
            var previous = CallReach.TreesBeforeUse;
            CallReach.TreesBeforeUse = 0;
            foreach (var tree in compilation.SyntaxTrees)
            {
                perf.CodeBlocksOf(tree, default);
            }

            var reach = perf.CallReach.Names(default);
            CallReach.TreesBeforeUse = previous;
            var gates = new (string Rule, Func<BodySyntax, bool> Passes)[]
            {
                ("PERF001", b => RuleGates.RoundTripPerIteration(b, perf.Types.ProxiesExtensions is not null, reach)),
                ("PERF002", b => RuleGates.AwaitedRemoteLogging(b, perf, NoOptionsProvider.Instance, compilation.SyntaxTrees.First(), compilation)),
                ("PERF003", b => RuleGates.PooledResourcePerRequest(b, perf)),
                ("PERF004", b => RuleGates.RepeatedLookup(b, reach)),
                ("PERF005", RuleGates.CacheEntryWithoutExpiration),
                ("PERF006", b => RuleGates.MissingIndex(b, compilation, default)),
                ("PERF007", RuleGates.FilterAfterMaterialization),
                ("PERF008", b => RuleGates.RemoteCallPerIteration(b, reach)),
            };

            var blocks = 0;
            long totalText = 0;
            var passed = new int[gates.Length];
            var passedText = new long[gates.Length];
            var any = 0;
            long anyText = 0;
            var onlyThis = new long[gates.Length];
            foreach (var tree in compilation.SyntaxTrees)
            {
                foreach (var block in CodeBlocksOf(tree.GetRoot()))
                {
                    var body = BodySyntax.Compute(block, perf.PerElementMethodNames);
                    blocks++;
                    totalText += block.Span.Length;
                    var anyPassed = false;
                    var passers = new List<int>();
                    for (var i = 0; i < gates.Length; i++)
                    {
                        if (gates[i].Passes(body))
                        {
                            passed[i]++;
                            passedText[i] += block.Span.Length;
                            anyPassed = true;
                            passers.Add(i);
                        }
                    }

                    if (passers.Count == 1)
                    {
                        onlyThis[passers[0]] += block.Span.Length;
                    }

                    if (anyPassed)
                    {
                        any++;
                        anyText += block.Span.Length;
                    }
                }
            }

            Console.WriteLine($"## {subject.Label}: {blocks:N0} code blocks, {totalText / 1024:N0} KB of their text");
            Console.WriteLine("| gate | blocks passed | share of blocks | share of text | text no other gate passes |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            for (var i = 0; i < gates.Length; i++)
            {
                Console.WriteLine($"| {gates[i].Rule} | {passed[i]:N0} | {100.0 * passed[i] / blocks:F1}% | {100.0 * passedText[i] / totalText:F1}% | {100.0 * onlyThis[i] / totalText:F1}% |");
            }

            Console.WriteLine($"| any rule (bound) | {any:N0} | {100.0 * any / blocks:F1}% | {100.0 * anyText / totalText:F1}% | |");
            Console.WriteLine();
        }

        return 0;
    }

    /// <summary>The declarations <see cref="CodeBlocks"/> dispatches, with code (top-level statements as one block).</summary>
    private static IEnumerable<SyntaxNode> CodeBlocksOf(SyntaxNode root)
    {
        if (root is CompilationUnitSyntax unit && unit.Members.OfType<GlobalStatementSyntax>().Any())
        {
            yield return unit;
        }

        foreach (var node in root.DescendantNodes())
        {
            var hasCode = node switch
            {
                BaseMethodDeclarationSyntax method => method.Body is not null || method.ExpressionBody is not null,
                AccessorDeclarationSyntax accessor => accessor.Body is not null || accessor.ExpressionBody is not null,
                PropertyDeclarationSyntax property => property.ExpressionBody is not null || property.Initializer is not null,
                IndexerDeclarationSyntax indexer => indexer.ExpressionBody is not null,
                FieldDeclarationSyntax field => field.Declaration.Variables.Any(v => v.Initializer is not null),
                _ => false,
            };
            if (hasCode)
            {
                yield return node;
            }
        }
    }

    [SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1035", Justification = "Benchmark tool.")]
    private sealed class NoOptions : AnalyzerConfigOptions
    {
        public static readonly NoOptions Instance = new();

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }
    }

    private sealed class NoOptionsProvider : AnalyzerConfigOptionsProvider
    {
        public static readonly NoOptionsProvider Instance = new();

        public override AnalyzerConfigOptions GlobalOptions => NoOptions.Instance;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => NoOptions.Instance;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => NoOptions.Instance;
    }
}
