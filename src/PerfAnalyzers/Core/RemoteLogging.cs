using System;
using System.Collections.Concurrent;
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
    private readonly InterproceduralSummaries _bodies;
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _wrappers = new(SymbolEqualityComparer.Default);

    public RemoteLogging(NetworkCalls network, InterproceduralSummaries bodies)
    {
        _network = network;
        _bodies = bodies;
    }

    /// <summary>
    /// Can this code block wait on remote logging, judged from syntax before anything is bound? It must wait on
    /// something, and call a method that <see cref="IsRemoteLoggingCall"/> could accept: one whose name speaks of
    /// logging, a network send (Send/Post/Put/Patch/Write/Flush), a method declared by a source type whose name speaks
    /// of logging or by a generated gRPC client, a call on a client whose name speaks of logging, or any call when the
    /// user lists remote logging methods in <c>.editorconfig</c>.
    /// </summary>
    public bool MayWaitOnRemoteLogging(BodySyntax body, AnalyzerConfigOptionsProvider options, SyntaxTree tree, Compilation compilation)
    {
        // Only a call waited on directly is judged (GetWaitedInvocation), so a block that waits on none cannot hold one.
        if (body.WaitedNames.Count == 0)
        {
            return false;
        }

        if (PerfOptions.RemoteLoggingMethods.GetValidValue(options.GetOptions(tree), DiagnosticIds.AwaitedRemoteLogging) is not null)
        {
            return true;
        }

        var sourceNames = _sourceLoggingMethodNames ??= SourceLoggingMethodNames(compilation);
        foreach (var name in body.WaitedNames)
        {
            if (IsSendName(name) || sourceNames.Contains(name) || _namesWithLoggingWord.GetOrAdd(name, static n => HasLoggingWord(Words(n))))
            {
                return true;
            }
        }

        foreach (var receiver in body.WaitedReceiverNames)
        {
            if (_receiversWithStrongLoggingWord.GetOrAdd(receiver, static r => r.TrimStart('_') is { Length: > 0 } trimmed && HasStrongLoggingWord(Words(char.ToUpperInvariant(trimmed[0]) + trimmed.Substring(1)))))
            {
                return true;
            }
        }

        return false;
    }

    private ImmutableHashSet<string>? _sourceLoggingMethodNames;

    // The same names recur in every module: their words are read once per compilation.
    private readonly ConcurrentDictionary<string, bool> _namesWithLoggingWord = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _receiversWithStrongLoggingWord = new(StringComparer.Ordinal);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxTree, ImmutableHashSet<string>> LoggingMethodNamesByTree = new();

    private static bool IsSendName(string name)
        => name.StartsWith("Send", StringComparison.Ordinal) || name.StartsWith("Post", StringComparison.Ordinal) || name.StartsWith("Put", StringComparison.Ordinal)
            || name.StartsWith("Patch", StringComparison.Ordinal) || name.StartsWith("Write", StringComparison.Ordinal) || name.StartsWith("Flush", StringComparison.Ordinal)
            || name.StartsWith("Produce", StringComparison.Ordinal) || name.StartsWith("BasicPublish", StringComparison.Ordinal);

    /// <summary>
    /// Methods declared by types whose name speaks of logging: source types and generated gRPC clients (read from syntax,
    /// cached per tree), and public types of referenced libraries outside the framework (cached per assembly).
    /// </summary>
    private static ImmutableHashSet<string> SourceLoggingMethodNames(Compilation compilation)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            names.UnionWith(LoggingMethodNamesByTree.GetValue(tree, LoggingMethodNamesOf));
        }

        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            names.UnionWith(LoggingMethodNamesByAssembly.GetValue(assembly, LoggingMethodNamesOf));
        }

        return names.ToImmutable();
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IAssemblySymbol, ImmutableHashSet<string>> LoggingMethodNamesByAssembly = new();

    /// <summary>The framework's logging types are in-process (ILogger, EventSource): only libraries can ship logs.</summary>
    private static bool IsFramework(string assemblyName)
        => assemblyName is "System" or "mscorlib" or "netstandard"
            || assemblyName.StartsWith("System.", StringComparison.Ordinal)
            || assemblyName.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || assemblyName.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
            || assemblyName.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            || assemblyName.StartsWith("Microsoft.CSharp", StringComparison.Ordinal)
            || assemblyName.StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal)
            || assemblyName.StartsWith("Microsoft.Win32", StringComparison.Ordinal);

    private static ImmutableHashSet<string> LoggingMethodNamesOf(IAssemblySymbol assembly)
    {
        if (IsFramework(assembly.Name))
        {
            return ImmutableHashSet<string>.Empty;
        }

        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var type in assembly.PublicTypes())
        {
            if (HasLoggingWord(Words(type.Name)))
            {
                names.UnionWith(type.MemberNames);
            }
        }

        return names.ToImmutable();
    }

    private static ImmutableHashSet<string> LoggingMethodNamesOf(SyntaxTree tree)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var pending = new Stack<Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax>();
        foreach (var member in ((Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax)tree.GetRoot()).Members)
        {
            pending.Push(member);
        }

        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax ns:
                    foreach (var member in ns.Members)
                    {
                        pending.Push(member);
                    }

                    break;
                case Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax type:
                    var logging = HasLoggingWord(Words(type.Identifier.ValueText))
                        || type.BaseList?.Types.Any(t => BodySyntax.RightmostName(t.Type) == "ClientBase") == true;
                    foreach (var member in type.Members)
                    {
                        if (logging && member is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax method)
                        {
                            names.Add(method.Identifier.ValueText);
                        }
                        else if (member is Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax)
                        {
                            pending.Push(member);
                        }
                    }

                    break;
            }
        }

        return names.ToImmutable();
    }

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
        if (waited is IPropertyReferenceOperation { Property.Name: "ResponseAsync", Instance: IInvocationOperation grpcCall })
        {
            // await client.RecordAsync(request).ResponseAsync (gRPC)
            waited = grpcCall;
        }

        if (waited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
        {
            waited = configured.WalkDownConversions();
        }

        return waited as IInvocationOperation;
    }

    /// <summary>
    /// Does the call ship log, audit or telemetry data over the network? <paramref name="caller"/> is the function the
    /// call is made in: with it, a direct network send (<c>HttpClient</c>, socket, gRPC, message queue) counts too
    /// when its payload or client speaks of logging (<c>_http.PostAsJsonAsync("audit", new AuditEvent(...))</c>,
    /// <c>_auditHttp.SendAsync(...)</c>) — unless the caller is itself a logging method, whose implementation that
    /// send is (its callers are the ones reported).
    /// </summary>
    public bool IsRemoteLoggingCall(IInvocationOperation invocation, AnalyzerConfigOptions options, IMethodSymbol? caller, CancellationToken cancellationToken)
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

        if (!IsAwaitableType(method.ReturnType))
        {
            return false;
        }

        if (caller is not null && NetworkCalls.IsDirectNetworkSend(invocation) && ShipsLogData(invocation) && !IsLoggingFunction(caller))
        {
            return true;
        }

        if (IsInProcess(method))
        {
            return false;
        }

        if (!SpeaksOfLogging(method))
        {
            return false;
        }

        // Where the implementation is visible, it must actually send; otherwise the name and async-ness decide.
        return !_network.HasVisibleImplementation(method) || _network.ShipsDataOverNetwork(method, cancellationToken);
    }

    /// <summary>
    /// Is the method (or an implementation of it) of the compilation a wrapper that itself waits, directly in its body,
    /// on a remote logging call? Then that inner wait is the one reported (where the fix applies, covering every
    /// caller), and a caller's wait on the wrapper is the same finding.
    /// </summary>
    public bool WaitsOnRemoteLoggingInside(IMethodSymbol method, AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        if (_wrappers.TryGetValue(method, out var known))
        {
            return known;
        }

        var result = false;
        var candidates = method.IsAbstract || method.IsVirtual || method.ContainingType?.TypeKind == TypeKind.Interface
            ? _bodies.GetImplementations(method).Add(method)
            : ImmutableArray.Create(method);
        foreach (var candidate in candidates)
        {
            if (result || candidate.IsAbstract || _bodies.GetBodyOperation(candidate, cancellationToken) is not { } body)
            {
                continue;
            }

            var treeOptions = options.GetOptions(body.Syntax.SyntaxTree);
            foreach (var operation in body.Descendants())
            {
                if (operation is IAwaitOperation or IInvocationOperation { TargetMethod.Name: "Wait" or "GetResult" } or IPropertyReferenceOperation { Property.Name: "Result" }
                    && !IsInLambda(operation, body)
                    && GetWaitedInvocation(operation) is { } inner
                    && IsRemoteLoggingCall(inner, treeOptions, caller: null, cancellationToken))
                {
                    result = true;
                    break;
                }
            }
        }

        _wrappers.TryAdd(method, result);
        return result;
    }

    private static bool IsInLambda(IOperation operation, IOperation body)
    {
        for (var current = operation.Parent; current is not null && current != body; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Task, ValueTask, or any awaitable (a gRPC <c>AsyncUnaryCall&lt;T&gt;</c>): a type with an instance <c>GetAwaiter()</c>.</summary>
    private static bool IsAwaitableType(ITypeSymbol type)
    {
        if (type.Name is "Task" or "ValueTask" && type.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
        {
            return true;
        }

        foreach (var member in type.GetMembers("GetAwaiter"))
        {
            if (member is IMethodSymbol { IsStatic: false, Parameters.IsEmpty: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Log data in a raw send: the client (a field, property, local or parameter, or a named client) or a payload's type speaks of logging.</summary>
    private static bool ShipsLogData(IInvocationOperation send)
    {
        var method = send.TargetMethod;
        var verbs = Words(method.Name);
        if (verbs.Count > 0 && (ReadVerbs.Contains(verbs[0]) || verbs[0] == "Delete"))
        {
            return false;
        }

        var receiver = send.Instance;
        var firstPayload = 0;
        if (receiver is null && method.IsExtensionMethod && send.Arguments.Length > 0)
        {
            receiver = send.Arguments[0].Value;
            firstPayload = 1;
        }

        if (receiver.WalkDownConversions() is { } client && ClientSpeaksOfLogging(client))
        {
            return true;
        }

        for (var i = firstPayload; i < send.Arguments.Length; i++)
        {
            if (send.Arguments[i].Value.WalkDownConversions()?.Type is INamedTypeSymbol { IsAnonymousType: false, SpecialType: SpecialType.None } payload
                && (HasStrongLoggingWord(Words(payload.Name)) || payload.TypeArguments.Any(t => HasStrongLoggingWord(Words(t.Name)))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ClientSpeaksOfLogging(IOperation receiver)
    {
        var name = receiver switch
        {
            IFieldReferenceOperation field => field.Field.Name,
            IPropertyReferenceOperation property => property.Property.Name,
            ILocalReferenceOperation local => local.Local.Name,
            IParameterReferenceOperation parameter => parameter.Parameter.Name,
            // IHttpClientFactory.CreateClient("audit")
            IInvocationOperation { TargetMethod.Name: "CreateClient", Arguments: { Length: > 0 } arguments } => arguments[arguments.Length - 1].Value.ConstantValue is { HasValue: true, Value: string clientName } ? clientName : null,
            _ => null,
        };

        if (name is null)
        {
            return false;
        }

        if (NameSpeaksOfLogging(name))
        {
            return true;
        }

        // var client = factory.CreateClient("audit-log"); await client.PostAsJsonAsync(...): the local's initializer names the client.
        return receiver is ILocalReferenceOperation { Local: { } clientLocal }
            && InitializerOf(clientLocal, receiver.SemanticModel) is IInvocationOperation { TargetMethod.Name: "CreateClient" } creation
            && ClientSpeaksOfLogging(creation);
    }

    private static IOperation? InitializerOf(ILocalSymbol local, SemanticModel? model)
    {
        if (model is null || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: { } value }
            || value.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        return model.GetOperation(value).WalkDownConversions();
    }

    private static bool NameSpeaksOfLogging(string name)
    {
        foreach (var part in name.Split('_', '-', '.', ' ', ':', '/'))
        {
            if (part.Length > 0 && HasStrongLoggingWord(Words(char.ToUpperInvariant(part[0]) + part.Substring(1))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Is the function (or the method a lambda/local function is in) a logging method — the implementation of one?</summary>
    private static bool IsLoggingFunction(IMethodSymbol function)
    {
        var method = function;
        while (method.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction && method.ContainingSymbol is IMethodSymbol outer)
        {
            method = outer;
        }

        if (SpeaksOfLogging(method))
        {
            return true;
        }

        // SeqSink.EmitAsync implementing ILogEventSink.EmitAsync: the interface (or base) member says what it is.
        foreach (var implemented in ImplementedOrOverridden(method))
        {
            if (SpeaksOfLogging(implemented))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<IMethodSymbol> ImplementedOrOverridden(IMethodSymbol method)
    {
        for (var overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            yield return overridden;
        }

        foreach (var explicitImplementation in method.ExplicitInterfaceImplementations)
        {
            yield return explicitImplementation;
        }

        if (method.ContainingType is not { } type)
        {
            yield break;
        }

        foreach (var candidateInterface in type.AllInterfaces)
        {
            foreach (var member in candidateInterface.GetMembers(method.Name))
            {
                if (member is IMethodSymbol interfaceMethod && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(interfaceMethod), method))
                {
                    yield return interfaceMethod;
                }
            }
        }
    }

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

    /// <summary>Leading verbs of methods that read data back (log search, parcel tracking, audit trails): not shipping.</summary>
    private static readonly ImmutableHashSet<string> ReadVerbs = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Get", "Find", "Fetch", "Query", "Search", "List", "Read", "Load", "Download", "Count", "Lookup", "Tail");

    /// <summary>"Log" followed by these is signing in or out (<c>LogInAsync</c>, <c>LogOutAsync</c>), not logging.</summary>
    private static readonly ImmutableHashSet<string> SessionParticles = ImmutableHashSet.Create(StringComparer.Ordinal, "In", "On", "Out", "Off");

    private static bool SpeaksOfLogging(IMethodSymbol method)
    {
        var methodWords = Words(method.Name);
        if (methodWords.Count > 0 && ReadVerbs.Contains(methodWords[0]))
        {
            return false;
        }

        if (HasLoggingWord(methodWords))
        {
            return true;
        }

        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (HasLoggingWord(Words(type.Name)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Client and payload names: the unambiguous words only ("tracking" may be a parcel's, "trace" a route's).</summary>
    private static readonly ImmutableHashSet<string> StrongLoggingWords = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "log", "logs", "logger", "logging", "audit", "audits", "auditing", "auditor", "telemetry");

    private static bool HasStrongLoggingWord(List<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (StrongLoggingWords.Contains(words[i]) && !(words[i] == "Log" && i + 1 < words.Count && SessionParticles.Contains(words[i + 1])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// "Tracking"/"Trace" followed by these names what a customer or a request is given (<c>SendTrackingEmailAsync</c>,
    /// <c>SetTrackingNumberAsync</c>), not telemetry.
    /// </summary>
    private static readonly ImmutableHashSet<string> TrackingObjects = ImmutableHashSet.Create(
        StringComparer.Ordinal, "Number", "Numbers", "Code", "Codes", "Email", "Emails", "Mail", "Sms", "Link", "Links", "Url", "Id", "Ids", "Info", "Details");

    private static bool HasLoggingWord(List<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (LoggingWords.Contains(words[i]) && !(words[i] == "Log" && i + 1 < words.Count && SessionParticles.Contains(words[i + 1]))
                && !(!StrongLoggingWords.Contains(words[i]) && i + 1 < words.Count && TrackingObjects.Contains(words[i + 1])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Splits PascalCase into words: <c>SendAuditEventAsync</c> → Send, Audit, Event, Async; <c>IAuditSink</c> → I, Audit,
    /// Sink; <c>HTTPLogger</c> → HTTP, Logger. "Login", "Catalog", "Blog", "Logistics" are single words, not logging.
    /// </summary>
    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 1; i <= name.Length; i++)
        {
            var boundary = i == name.Length || name[i] == '_'
                || char.IsUpper(name[i]) && (!char.IsUpper(name[i - 1]) || i + 1 < name.Length && char.IsLower(name[i + 1]));
            if (boundary)
            {
                var word = name.Substring(start, i - start).Trim('_');
                if (word.Length > 0)
                {
                    words.Add(word);
                }

                start = i;
            }
        }

        return words;
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
