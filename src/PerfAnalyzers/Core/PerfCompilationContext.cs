using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace PerfAnalyzers.Core;

/// <summary>
/// Everything the rules share for one compilation: well-known types, the round-trip recogniser with its
/// interprocedural summaries, and request-path recognition. Created once per compilation and shared by all
/// PerfAnalyzers rules, so a callee's summary is computed once however many rules ask.
/// </summary>
internal sealed class PerfCompilationContext
{
    private static readonly ConditionalWeakTable<Compilation, PerfCompilationContext> Cache = new();

    private readonly Compilation _compilation;

    private PerfCompilationContext(Compilation compilation)
    {
        _compilation = compilation;
        Types = new WellKnownTypes(compilation);
        RoundTrips = new RoundTripRecognizer(Types, compilation);
        RequestPaths = new RequestPaths(Types);
        RequestGraph = new RequestPathGraph(this);
        NetworkCalls = new NetworkCalls(RoundTrips.Summaries);
        RemoteLogging = new RemoteLogging(NetworkCalls, RoundTrips.Summaries);
        CallReach = new CallReach(this, compilation);
        RoundTrips.Summaries.UseCallReach(() => CallReach.Names(CancellationToken.None));
        NetworkCalls.UseCallReach(() => CallReach.Names(CancellationToken.None));
    }

    private int _treesListed;
    private int _ruleSlots;

    /// <summary>A number per rule that registers for code blocks (see <see cref="CodeBlocks"/>).</summary>
    public int NextRuleSlot() => Interlocked.Increment(ref _ruleSlots) - 1;

    /// <summary>How many trees have had their code blocks listed (see <see cref="CallReach"/>).</summary>
    public int TreesListed => Volatile.Read(ref _treesListed);

    /// <summary>Which method names can lead to a round trip or a remote request (for the syntax gates).</summary>
    public CallReach CallReach { get; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<SyntaxNode, BodySyntax> _bodySyntax = new();

    /// <summary>A declaration's syntax facts, read once per compilation (not cached on the tree: the IDE keeps trees for long).</summary>
    public BodySyntax BodySyntaxOf(SyntaxNode declaration) => _bodySyntax.GetOrAdd(declaration, _computeBodySyntax ??= d => BodySyntax.Compute(d, PerElementMethodNames));

    private System.Func<SyntaxNode, BodySyntax>? _computeBodySyntax;
    private HashSet<string>? _perElementMethodNames;

    /// <summary>
    /// The names of the methods <see cref="LoopScope"/> treats as running a lambda once per element: every method of
    /// Enumerable, Parallel and AsyncEnumerable, and the per-element methods of List and Array.
    /// </summary>
    public HashSet<string> PerElementMethodNames => _perElementMethodNames ??= LoopScope.PerElementMethodNames(_compilation, Types);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<SyntaxTree, TreeCodeBlocks> _codeBlocks = new();

    /// <summary>A tree's code blocks, listed once per compilation for every rule (see <see cref="CodeBlocks"/>).</summary>
    public TreeCodeBlocks CodeBlocksOf(SyntaxTree tree, System.Threading.CancellationToken cancellationToken)
        => _codeBlocks.GetOrAdd(tree, t =>
        {
            Interlocked.Increment(ref _treesListed);
            return TreeCodeBlocks.List((Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax)t.GetRoot(cancellationToken));
        });

    /// <summary>Every code block read so far, with its syntax facts (at compilation end: every block of every analyzed tree).</summary>
    public IEnumerable<KeyValuePair<SyntaxNode, BodySyntax>> BlocksRead => _bodySyntax;

    private System.Collections.Immutable.ImmutableHashSet<string>? _pooledTypeNames;

    /// <summary>See <see cref="PooledResources.PooledTypeNames"/>; computed once.</summary>
    public System.Collections.Immutable.ImmutableHashSet<string> PooledTypeNames => _pooledTypeNames ??= PooledResources.PooledTypeNames(Types, RoundTrips.Summaries);

    public NetworkCalls NetworkCalls { get; }

    public RemoteLogging RemoteLogging { get; }

    /// <summary>Request entry points and the methods they reach (fed as blocks are analyzed).</summary>
    public RequestPathGraph RequestGraph { get; }

    public WellKnownTypes Types { get; }

    public RoundTripRecognizer RoundTrips { get; }

    public RequestPaths RequestPaths { get; }

    public static PerfCompilationContext For(Compilation compilation)
        => Cache.GetValue(compilation, static c => new PerfCompilationContext(c));
}
