using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Rules;

/// <summary>
/// PERF005: a cache entry written without an expiration — <c>IDistributedCache</c> and StackExchange.Redis writes
/// anywhere, <c>IMemoryCache</c> writes on request paths (live in a handler; through the request-path call graph at
/// compilation end when a handler reaches the method).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CacheEntryWithoutExpirationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property naming how the code fix adds the expiration (a <see cref="CacheWriteKind"/>).</summary>
    public const string KindProperty = "CacheWriteKind";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(RuleDescriptors.PERF005_CacheEntryWithoutExpiration, RuleDescriptors.PERF005_CacheEntryWithoutExpirationOnRequestPath);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var perf = PerfCompilationContext.For(start.Compilation);
            var caches = new CacheExpiration(perf.Types);
            if (!caches.HasAnyCache)
            {
                return;
            }

            var deferred = new ConcurrentBag<(CacheWrite Write, IMethodSymbol Function)>();
            CodeBlocks.Register(start, perf, (body, _) => RuleGates.CacheEntryWithoutExpiration(body), block => AnalyzeBlock(block, perf, caches, deferred));
            start.RegisterCompilationEndAction(end => ReportReached(end, perf, deferred));
        });
    }

    private static void AnalyzeBlock(CodeBlockContext context, PerfCompilationContext perf, CacheExpiration caches, ConcurrentBag<(CacheWrite, IMethodSymbol)> deferred)
    {
        var facts = BlockFacts.Get(perf, context.OperationBlocks, context.OwningSymbol, context.CancellationToken);
        foreach (var operation in facts.CreationsAndCalls)
        {
            if (operation is not IInvocationOperation invocation || caches.Recognize(invocation, facts) is not { } write)
            {
                continue;
            }

            if (!write.IsMemoryCache)
            {
                context.ReportDiagnostic(Create(RuleDescriptors.PERF005_CacheEntryWithoutExpiration, write, DescribeMissRead(write)));
                continue;
            }

            // An in-process cache filled at startup or by a background job is bounded by what that code loads;
            // filled per request, it grows with the requests.
            if (!perf.RequestPaths.HasAspNetCore || context.OwningSymbol.ContainingType is { } owningType && perf.RequestPaths.IsBackgroundType(owningType)
                || RequestPathGraph.FunctionOf(invocation, context.OwningSymbol) is not { } function)
            {
                continue;
            }

            var where = perf.RequestPaths.DescribeEntry(function) is { } entry ? " in the request handler '" + entry + "'"
                : perf.RequestPaths.GetEnclosingMinimalApiHandlerLine(invocation) is { } line ? " in the minimal API handler at line " + line.ToString(CultureInfo.InvariantCulture)
                : null;
            if (where is not null)
            {
                context.ReportDiagnostic(Create(RuleDescriptors.PERF005_CacheEntryWithoutExpiration, write, where));
            }
            else
            {
                deferred.Add((write, function));
            }
        }
    }

    private static void ReportReached(CompilationAnalysisContext context, PerfCompilationContext perf, ConcurrentBag<(CacheWrite Write, IMethodSymbol Function)> deferred)
    {
        if (deferred.IsEmpty)
        {
            return;
        }

        foreach (var candidate in deferred.OrderBy(c => c.Write.Invocation.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(c => c.Write.Invocation.Syntax.SpanStart))
        {
            if (perf.RequestGraph.EntryReaching(candidate.Write.Invocation, candidate.Function, context.CancellationToken) is { } entry)
            {
                var from = entry.StartsWith("the ", System.StringComparison.Ordinal) ? entry : "'" + entry + "'";
                context.ReportDiagnostic(Create(RuleDescriptors.PERF005_CacheEntryWithoutExpirationOnRequestPath, candidate.Write, " on the request path from " + from));
            }
        }
    }

    /// <summary>For a Redis structure write: <c> when 'IDatabase.HashGetAllAsync' misses</c>, which is why it counts as a cache entry.</summary>
    private static string DescribeMissRead(CacheWrite write)
        => write.MissRead is { } read ? " when '" + read.TargetMethod.ToMessageName(read.GetReceiver()?.Type) + "' on the same key misses" : "";

    private static Diagnostic Create(DiagnosticDescriptor descriptor, CacheWrite write, string where)
    {
        var invocation = write.Invocation;
        var name = "'" + invocation.TargetMethod.ToMessageName(invocation.GetReceiver()?.Type) + "'";
        var additional = write.OptionsCreation is { } creation ? new[] { creation.Syntax.GetLocation() } : null;
        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, write.Kind.ToString());
        return Diagnostic.Create(descriptor, invocation.Syntax.GetLocation(), additional, properties, name, where);
    }
}
