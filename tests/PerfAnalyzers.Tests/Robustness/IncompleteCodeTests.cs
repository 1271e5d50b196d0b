using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace PerfAnalyzers.Tests.Robustness;

/// <summary>
/// Robustness issue, part 1: code as it is being typed. Every shipped analyzer runs over prefixes and
/// mutations of the sample app, of every source string the other tests use, and of a few representative
/// sources. No analyzer may throw on any of them.
/// </summary>
[Collection(RobustnessCollection.Name)]
public sealed class IncompleteCodeTests
{
    /// <summary>
    /// Variants analyzed per run, sampled by stride from everything generated (several thousand), to keep CI fast.
    /// Set PERFANALYZERS_ROBUSTNESS_VARIANTS to a number, or to "all", for a longer local sweep.
    /// </summary>
    private const int DefaultVariantCap = 1500;

    /// <summary>
    /// Most variants are analyzed the way the IDE analyzes an open file (that tree only); every this-many-th one
    /// over the whole compilation, so compilation-end actions (call graphs, deferred reports) see broken code too.
    /// </summary>
    private const int WholeCompilationEvery = 6;

    private readonly ITestOutputHelper _output;

    public IncompleteCodeTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task PrefixesAndMutations_NoAnalyzerThrows()
    {
        var references = await RobustnessEnvironment.GetReferencesAsync();
        var analyzers = ShippedRules.CreateAnalyzers();
        Assert.NotEmpty(analyzers);

        var projects = new List<TestProject> { RobustnessEnvironment.SampleApp };
        projects.AddRange(RepresentativeSources.All.Select(s => RobustnessEnvironment.WithTestModel(s.Name, s.Source)));
        projects.AddRange(RobustnessEnvironment.HarvestTestSources());

        var generated = new List<Variant>();
        foreach (var project in projects)
        {
            for (var i = 0; i < project.Files.Length; i++)
            {
                // The shared model is mutated once, as a harvested source of its own; the implicit usings are not user code.
                if (project.Files[i].Path is "Model.cs" || project.Files[i].Path.EndsWith(".g.cs", StringComparison.Ordinal))
                {
                    continue;
                }

                generated.AddRange(IncompleteCodeVariants.For(project, i));
            }
        }

        var cap = VariantCap();
        var sample = IncompleteCodeVariants.Sample(generated, cap);

        // One parsed, bound-once base compilation per project; each variant swaps one tree into it.
        var baseTrees = new ConcurrentDictionary<TestProject, (CSharpCompilation Compilation, ImmutableArray<SyntaxTree> Trees)>(ReferenceEqualityComparer.Instance);
        (CSharpCompilation Compilation, ImmutableArray<SyntaxTree> Trees) BaseOf(TestProject project)
            => baseTrees.GetOrAdd(project, p =>
            {
                var trees = p.ParseAll();
                return (p.Compile(trees, references), trees);
            });

        var failures = new ConcurrentBag<(Variant Variant, string Failure)>();
        var timings = new ConcurrentBag<(Variant Variant, TimeSpan Elapsed)>();
        var stopwatch = Stopwatch.StartNew();
        // Async all the way: blocking pool threads on the driver's awaits would starve the pool on 2 cores.
        await Parallel.ForEachAsync(sample.Select((variant, index) => (variant, index)), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (item, _) =>
        {
            var (variant, index) = item;
            var whole = index % WholeCompilationEvery == 0;
            var mode = whole ? "whole compilation" : "edited file only";
            try
            {
                var (compilation, trees) = BaseOf(variant.Project);
                var tree = RobustnessEnvironment.Parse(variant.Text, variant.FilePath);
                var edited = compilation.ReplaceSyntaxTree(trees[variant.FileIndex], tree);
                var result = await AnalyzerRunner.RunAsync(edited, analyzers, concurrent: false, whole ? null : tree);
                timings.Add((variant, result.Elapsed));
                foreach (var failure in result.Failures)
                {
                    failures.Add((variant, $"({mode}) {failure}"));
                }

                if (result.Elapsed > RobustnessEnvironment.CaseTimeLimit)
                {
                    failures.Add((variant, $"({mode}) analysis took {result.Elapsed.TotalSeconds:0.0} s (limit {RobustnessEnvironment.CaseTimeLimit.TotalSeconds:0} s)"));
                }
            }
            catch (Exception e)
            {
                failures.Add((variant, $"({mode}) the analyzer driver threw {e}"));
            }
        });
        stopwatch.Stop();

        _output.WriteLine($"{generated.Count} variants generated from {projects.Count} projects ({projects.Sum(p => p.Files.Length)} files); {sample.Count} analyzed (cap {cap}; every {WholeCompilationEvery}th over the whole compilation) by {analyzers.Length} analyzer(s) in {stopwatch.Elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} core(s).");
        foreach (var group in sample.GroupBy(v => v.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"  {group.Key}: {group.Count()} analyzed of {generated.Count(v => v.Kind == group.Key)} generated");
        }

        foreach (var (variant, elapsed) in timings.OrderByDescending(t => t.Elapsed).Take(3))
        {
            _output.WriteLine($"  slowest: {elapsed.TotalMilliseconds:0} ms {variant}");
        }

        Assert.True(failures.IsEmpty, Describe(failures));
    }

    private static int VariantCap()
    {
        var setting = Environment.GetEnvironmentVariable("PERFANALYZERS_ROBUSTNESS_VARIANTS");
        if (string.Equals(setting, "all", StringComparison.OrdinalIgnoreCase))
        {
            return int.MaxValue;
        }

        return int.TryParse(setting, out var cap) && cap > 0 ? cap : DefaultVariantCap;
    }

    /// <summary>Distinct failures (by exception type and first stack frame), each with one variant that shows it, its text saved for repro.</summary>
    private static string Describe(IEnumerable<(Variant Variant, string Failure)> failures)
    {
        var list = failures.OrderBy(f => f.Variant.ToString(), StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            return "";
        }

        var directory = Path.Combine(Path.GetTempPath(), "perfanalyzers-robustness");
        Directory.CreateDirectory(directory);
        var message = new StringBuilder();
        message.AppendLine($"{list.Count} variant(s) failed; distinct failures:");
        var index = 0;
        foreach (var group in list.GroupBy(f => Signature(f.Failure)).Take(10))
        {
            var (variant, failure) = group.First();
            var file = Path.Combine(directory, $"variant-{index++}.cs");
            File.WriteAllText(file, variant.Text);
            message.AppendLine("----------------------------------------");
            message.AppendLine($"{group.Count()} variant(s), e.g. {variant}");
            message.AppendLine($"edited file saved to {file}; it ends with:");
            message.AppendLine(variant.Excerpt());
            message.AppendLine(failure);
        }

        return message.ToString();
    }

    private static string Signature(string failure)
    {
        var lines = failure.Split('\n');
        var firstFrame = lines.FirstOrDefault(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal))?.Trim() ?? "";
        return lines[0].Split(':')[0] + "|" + firstFrame;
    }
}
