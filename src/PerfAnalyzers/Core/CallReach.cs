using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PerfAnalyzers.Core;

/// <summary>
/// Which simple method names can lead to a database round trip or to a remote request, judged from the syntax of every
/// code block of the compilation: a name reaches one when some method of that name calls a library name that can be one
/// (<see cref="RoundTripRecognizer.MayBeRoundTripName"/>, <see cref="NetworkCalls.IsHttpSendName"/>), iterates (a query),
/// or calls another name that reaches one. It matches by name, so it over-approximates what
/// <see cref="InterproceduralSummaries"/> and <see cref="NetworkCalls"/> find by symbol; it only lets the syntax gates skip
/// loops whose calls cannot reach either, and never decides a finding.
/// </summary>
/// <remarks>
/// Reading every tree pays off only when many trees are analyzed: a build does, the IDE analyzes a few open documents per
/// compilation. So the names are built once <see cref="TreesBeforeUse"/> trees have been listed; until then, and while
/// another thread builds them, <see cref="Names"/> is null and the gates fall back to their syntax-only test. Both give
/// the same diagnostics.
/// </remarks>
internal sealed class CallReach
{
    /// <summary>How many trees a compilation lists before the names are worth building (tests set 0 to use them always).</summary>
    internal static int TreesBeforeUse = 8;

    private static readonly ConditionalWeakTable<IAssemblySymbol, HashSet<string>> GrpcClientMethodNamesByAssembly = new();

    private readonly PerfCompilationContext _perf;
    private readonly Compilation _compilation;
    private readonly object _gate = new();
    private ReachableNames? _names;

    public CallReach(PerfCompilationContext perf, Compilation compilation)
    {
        _perf = perf;
        _compilation = compilation;
    }

    /// <summary>The names, or null while too few trees have been analyzed for them to pay off.</summary>
    public ReachableNames? Names(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _names) is { } built)
        {
            return built;
        }

        if (_perf.TreesListed <= TreesBeforeUse)
        {
            return null;
        }

        // One thread builds; under concurrent analysis the others go on with the syntax-only test rather than wait
        // (waiting would idle a core and count as their analyzers' time). Tests (TreesBeforeUse 0) wait, to be exact.
        var lockTaken = false;
        try
        {
            if (TreesBeforeUse == 0)
            {
                Monitor.Enter(_gate, ref lockTaken);
            }
            else
            {
                Monitor.TryEnter(_gate, ref lockTaken);
            }

            if (!lockTaken)
            {
                return null;
            }

            if (_names is null)
            {
                var names = Build(cancellationToken);
                Volatile.Write(ref _names, names);
            }

            return _names;
        }
        finally
        {
            if (lockTaken)
            {
                Monitor.Exit(_gate);
            }
        }
    }

    private ReachableNames Build(CancellationToken cancellationToken)
    {
        // invoked name → the names of the methods (and local functions) whose bodies invoke it
        var callers = new Dictionary<string, List<string>>(System.StringComparer.Ordinal);
        var roundTripRoots = new List<string>();
        var requestRoots = new List<string>();
        var requestLibraryNames = RequestLibraryNames(out var anyCallMayRequest);
        var anyCallMayRoundTrip = false;
        var declared = new List<string>();
        foreach (var tree in _compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (tree.GetRoot(cancellationToken) is not CompilationUnitSyntax)
            {
                continue;
            }

            foreach (var block in _perf.CodeBlocksOf(tree, cancellationToken).Blocks)
            {
                var body = block.SyntaxFacts(_perf);
                declared.Clear();
                if (block.Kind == CodeBlockKind.Declaration && block.Scope is MethodDeclarationSyntax method)
                {
                    declared.Add(method.Identifier.ValueText);
                }

                // A local function is treated as calling everything its enclosing block calls (a safe over-approximation).
                declared.AddRange(body.LocalFunctionNames);

                var roundTrip = body.HasForEach;
                var request = false;
                foreach (var name in body.InvokedNames)
                {
                    anyCallMayRoundTrip |= RoundTripRecognizer.IsCompiledQueryFactoryName(name);
                    roundTrip |= RoundTripRecognizer.MayBeRoundTripName(name);
                    request |= requestLibraryNames.Contains(name);
                    if (declared.Count == 0)
                    {
                        continue;
                    }

                    if (!callers.TryGetValue(name, out var list))
                    {
                        callers[name] = list = new List<string>(2);
                    }

                    list.AddRange(declared);
                }

                if (roundTrip)
                {
                    roundTripRoots.AddRange(declared);
                }

                if (request)
                {
                    requestRoots.AddRange(declared);
                }
            }
        }

        return new ReachableNames(
            anyCallMayRoundTrip, Close(roundTripRoots, callers),
            anyCallMayRequest, requestLibraryNames, Close(requestRoots, callers));
    }

    /// <summary>Every name reachable backwards from the roots: the methods that call a root, their callers, and so on.</summary>
    private static HashSet<string> Close(List<string> roots, Dictionary<string, List<string>> callers)
    {
        var reached = new HashSet<string>(System.StringComparer.Ordinal);
        var pending = new Stack<string>();
        foreach (var root in roots)
        {
            if (reached.Add(root))
            {
                pending.Push(root);
            }
        }

        while (pending.Count > 0)
        {
            if (!callers.TryGetValue(pending.Pop(), out var list))
            {
                continue;
            }

            foreach (var caller in list)
            {
                if (reached.Add(caller))
                {
                    pending.Push(caller);
                }
            }
        }

        return reached;
    }

    /// <summary>
    /// The names a call to a library makes a remote request under: HttpClient's sends and its JSON extensions, the gRPC
    /// <c>CallInvoker</c> (which generated clients in source call), and the methods of gRPC clients compiled into referenced
    /// libraries. Refit's interface methods can have any name, so with Refit referenced every call may be a request.
    /// </summary>
    private HashSet<string> RequestLibraryNames(out bool anyCallMayRequest)
    {
        var types = _perf.Types;
        var names = new HashSet<string>(NetworkCalls.CallInvokerRequestNames, System.StringComparer.Ordinal);

        // HttpClient's own sends and HttpMessageInvoker's, which it derives from.
        for (var type = types.HttpClient; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            foreach (var member in type.MemberNames)
            {
                if (NetworkCalls.IsHttpSendName(member))
                {
                    names.Add(member);
                }
            }
        }

        if (types.HttpClientJsonExtensions is { } json)
        {
            names.UnionWith(json.MemberNames);
        }

        anyCallMayRequest = types.RefitHttpMethodAttribute is not null;
        if (types.GrpcClientBase is not null)
        {
            foreach (var assembly in _compilation.SourceModule.ReferencedAssemblySymbols)
            {
                names.UnionWith(GrpcClientMethodNamesByAssembly.GetValue(assembly, GrpcClientMethodNames));
            }
        }

        return names;
    }

    /// <summary>The method names of the gRPC clients (subclasses of <c>ClientBase</c>) a referenced library compiles in.</summary>
    private static HashSet<string> GrpcClientMethodNames(IAssemblySymbol assembly)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        if (assembly.Name.StartsWith("Grpc.", System.StringComparison.Ordinal) || !ReferencesGrpc(assembly))
        {
            return names;
        }

        foreach (var type in assembly.PublicTypes())
        {
            for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
            {
                if (NetworkCalls.IsGrpcType(baseType, "ClientBase"))
                {
                    names.UnionWith(type.MemberNames);
                    break;
                }
            }
        }

        return names;
    }

    private static bool ReferencesGrpc(IAssemblySymbol assembly)
    {
        foreach (var module in assembly.Modules)
        {
            foreach (var reference in module.ReferencedAssemblies)
            {
                if (reference.Name.StartsWith("Grpc.", System.StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>The names that can lead to a round trip or a remote request (see <see cref="CallReach"/>).</summary>
internal sealed class ReachableNames
{
    private readonly bool _anyCallMayRoundTrip;
    private readonly HashSet<string> _roundTripMethods;
    private readonly bool _anyCallMayRequest;
    private readonly HashSet<string> _requestLibraryNames;
    private readonly HashSet<string> _requestMethods;

    public ReachableNames(bool anyCallMayRoundTrip, HashSet<string> roundTripMethods, bool anyCallMayRequest, HashSet<string> requestLibraryNames, HashSet<string> requestMethods)
    {
        _anyCallMayRoundTrip = anyCallMayRoundTrip;
        _roundTripMethods = roundTripMethods;
        _anyCallMayRequest = anyCallMayRequest;
        _requestLibraryNames = requestLibraryNames;
        _requestMethods = requestMethods;
        MayRoundTrip = CanRoundTrip;
        MayRequest = CanRequest;
    }

    /// <summary>Can a call of this name make a database round trip, directly or through methods of the compilation?</summary>
    public System.Func<string, bool> MayRoundTrip { get; }

    /// <summary>Can a call of this name make an HTTP request or gRPC call, directly or through methods of the compilation?</summary>
    public System.Func<string, bool> MayRequest { get; }

    private bool CanRoundTrip(string name)
        => _anyCallMayRoundTrip || RoundTripRecognizer.MayBeRoundTripName(name) || _roundTripMethods.Contains(name);

    private bool CanRequest(string name)
        => _anyCallMayRequest || _requestLibraryNames.Contains(name) || _requestMethods.Contains(name);
}
