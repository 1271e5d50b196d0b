using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Rules;

/// <summary>
/// PERF000: a <c>perf_analyzers.*</c> key in <c>.editorconfig</c> (or a global AnalyzerConfig) with a value the rules
/// cannot use, or a key that names no option. Reported once per key and value for the compilation, without a source
/// location (configuration files are not part of the compilation); the rules themselves fall back to the defaults.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OptionsValidationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(RuleDescriptors.PERF000_InvalidOptionValue, RuleDescriptors.PERF000_UnknownOption);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationAction(Validate);
    }

    private static void Validate(CompilationAnalysisContext context)
    {
        var provider = context.Options.AnalyzerConfigOptionsProvider;

        // Files in the same .editorconfig sections share one options object; each is read once.
        var optionSets = new HashSet<AnalyzerConfigOptions> { provider.GlobalOptions };
        foreach (var tree in context.Compilation.SyntaxTrees)
        {
            optionSets.Add(provider.GetOptions(tree));
        }

        // key (as written, lower-cased by the compiler) and value → reported once.
        var findings = new Dictionary<(string Key, string Value), Diagnostic>();
        foreach (var options in optionSets)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            foreach (var key in options.Keys)
            {
                if (!key.StartsWith(PerfOptions.Prefix, StringComparison.OrdinalIgnoreCase) || !options.TryGetValue(key, out var value))
                {
                    continue;
                }

                var id = (key, value);
                if (findings.ContainsKey(id))
                {
                    continue;
                }

                if (!PerfOptions.TryResolveKey(key, out var option, out _) || option is null)
                {
                    findings[id] = Diagnostic.Create(RuleDescriptors.PERF000_UnknownOption, Location.None, key, KnownKeys());
                }
                else if (!option.IsValid(value))
                {
                    findings[id] = Diagnostic.Create(RuleDescriptors.PERF000_InvalidOptionValue, Location.None, value, key, option.DefaultDisplay, option.Expected);
                }
            }
        }

        foreach (var finding in findings.OrderBy(f => f.Key.Key, StringComparer.Ordinal).ThenBy(f => f.Key.Value, StringComparer.Ordinal))
        {
            context.ReportDiagnostic(finding.Value);
        }
    }

    private static string KnownKeys() => string.Join(", ", PerfOptions.All.Select(o => o.Key));
}
