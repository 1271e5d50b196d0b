using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>
/// Which awaited calls ship log, audit or telemetry data over the network. Judged from the symbol: an asynchronous
/// method whose type or name speaks of logging/audit/telemetry/tracking, confirmed to send over the network where its
/// implementation is in the compilation; plus methods and types the user lists in <c>.editorconfig</c>.
/// <c>ILogger</c> (in-process, buffered by providers) and in-memory queues/channels are never remote logging.
/// </summary>
internal sealed class RemoteLogging
{
    private static readonly ImmutableHashSet<string> LoggingWords = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "log", "logs", "logger", "logging", "audit", "audits", "auditing", "auditor", "telemetry", "track", "tracking", "tracker", "trace", "traces");

    private readonly NetworkCalls _network;

    public RemoteLogging(NetworkCalls network) => _network = network;

    /// <summary>The logging call inside an await (or a blocking wait), or null.</summary>
    public static IInvocationOperation? GetWaitedInvocation(IOperation operation)
    {
        IOperation? waited = operation switch
        {
            IAwaitOperation awaited => awaited.Operation,
            // task.Wait(), task.GetAwaiter().GetResult()
            IInvocationOperation { TargetMethod.Name: "Wait", Instance: { } task } => task,
            IInvocationOperation { TargetMethod.Name: "GetResult", Instance: IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } awaiterOf } } => awaiterOf,
            // task.Result
            IPropertyReferenceOperation { Property.Name: "Result", Instance: { } resultOf } when resultOf.Type?.Name is "Task" or "ValueTask" => resultOf,
            _ => null,
        };

        waited = waited.WalkDownConversions();
        if (waited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
        {
            waited = configured.WalkDownConversions();
        }

        return waited as IInvocationOperation;
    }

    public bool IsRemoteLoggingCall(IInvocationOperation invocation, AnalyzerConfigOptions options, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        if (Matches(method, options, PerfOptions.RemoteLoggingMethodsExclude))
        {
            return false;
        }

        if (Matches(method, options, PerfOptions.RemoteLoggingMethods))
        {
            return true;
        }

        if (!IsAwaitableType(method.ReturnType) || IsInProcess(method))
        {
            return false;
        }

        if (!SpeaksOfLogging(method))
        {
            return false;
        }

        // Where the implementation is visible, it must actually send; otherwise the name and async-ness decide.
        return !_network.HasVisibleImplementation(method) || _network.SendsOverNetwork(method, cancellationToken);
    }

    private static bool IsAwaitableType(ITypeSymbol type)
        => type.Name is "Task" or "ValueTask" && type.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";

    /// <summary>ILogger and LoggerMessage (buffered in-process), channels and in-memory queues.</summary>
    private static bool IsInProcess(IMethodSymbol method)
    {
        var ns = method.ContainingType?.ContainingNamespace?.ToDisplayString() ?? "";
        if (ns.StartsWith("Microsoft.Extensions.Logging", StringComparison.Ordinal) || ns.StartsWith("System.Threading.Channels", StringComparison.Ordinal)
            || ns.StartsWith("System.Collections", StringComparison.Ordinal) || ns.StartsWith("System.Diagnostics", StringComparison.Ordinal)
            || ns.StartsWith("System.IO", StringComparison.Ordinal) || ns.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal))
        {
            return true;
        }

        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (type.AllInterfaces.Any(i => i.ToDisplayString() == "Microsoft.Extensions.Logging.ILogger"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SpeaksOfLogging(IMethodSymbol method)
    {
        if (HasLoggingWord(method.Name))
        {
            return true;
        }

        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (HasLoggingWord(type.Name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Splits PascalCase into words: <c>SendAuditEventAsync</c> → Send, Audit, Event, Async. "Login", "Catalog", "Blog" are not logging.</summary>
    private static bool HasLoggingWord(string name)
    {
        var start = 0;
        for (var i = 1; i <= name.Length; i++)
        {
            if (i == name.Length || char.IsUpper(name[i]) && !char.IsUpper(name[i - 1]) || name[i] == '_')
            {
                var word = name.Substring(start, i - start).Trim('_');
                if (word.Length > 0 && LoggingWords.Contains(word))
                {
                    return true;
                }

                start = i;
            }
        }

        return false;
    }

    /// <summary>
    /// Option syntax (validated by the catalog; an invalid value counts as unset): a comma-separated list of fully
    /// qualified type names (every async method of the type) or <c>Namespace.Type.Method</c> entries, e.g.
    /// <c>Acme.Telemetry.EventShipper, Acme.Audit.AuditClient.WriteAsync</c>.
    /// </summary>
    private static bool Matches(IMethodSymbol method, AnalyzerConfigOptions options, PerfOption option)
    {
        if (option.GetValidValue(options, DiagnosticIds.AwaitedRemoteLogging) is not { } value)
        {
            return false;
        }

        var type = method.ContainingType?.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)) ?? "";
        foreach (var name in PerfOptions.SplitNameList(value))
        {
            if (name == type || name == type + "." + method.Name)
            {
                return true;
            }
        }

        return false;
    }
}
