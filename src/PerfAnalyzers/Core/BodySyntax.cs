using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PerfAnalyzers.Core;

/// <summary>
/// What the syntax of one code block (a member declaration with its body, or the top-level statements) shows
/// without binding anything: loops, lambdas, waits and the simple names it calls. Every rule first asks these
/// facts whether the block can hold a finding at all; only blocks that pass are bound and get an operation tree,
/// which is what an analyzer's time goes to. Computed by one syntax walk and cached per declaration node.
/// </summary>
internal sealed class BodySyntax
{
    /// <summary>The key under which implicit <c>new()</c> creations are indexed: their type has no name in syntax.</summary>
    public const string ImplicitCreation = "new()";

    /// <summary>
    /// Called twice, these are still no repeated lookup: query composition, action results, logging, strings,
    /// collections and tasks. (A repeat of any other name may be one, through a repository or service.)
    /// </summary>
    private static readonly HashSet<string> NeverLookups = new(System.StringComparer.Ordinal)
    {
        "Where", "Select", "SelectMany", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "Include", "ThenInclude", "Skip", "Take",
        "AsNoTracking", "AsQueryable", "AsEnumerable", "GroupBy", "Join", "Distinct", "ConfigureAwait",
        "Ok", "NotFound", "BadRequest", "Created", "CreatedAtAction", "CreatedAtRoute", "NoContent", "Accepted", "View", "PartialView", "Json",
        "Problem", "ValidationProblem", "StatusCode", "Redirect", "RedirectToAction", "Unauthorized", "Forbid", "Conflict",
        "LogTrace", "LogDebug", "LogInformation", "LogWarning", "LogError", "LogCritical", "Log", "BeginScope",
        "ToString", "Format", "Equals", "GetHashCode", "Concat", "Contains", "StartsWith", "EndsWith", "Trim", "ToLower", "ToUpper",
        "ToLowerInvariant", "ToUpperInvariant", "Replace", "Split", "Substring", "IsNullOrEmpty", "IsNullOrWhiteSpace", "Parse", "TryParse",
        "Add", "AddRange", "Remove", "Clear", "TryGetValue", "ContainsKey", "Append", "AppendLine", "Insert",
        "WhenAll", "WhenAny", "Delay", "FromResult", "Run", "ThrowIfCancellationRequested", "nameof", "ThrowIfNull", "Assert",
    };

    // Lookups in the walk of every block: HashSet, not ImmutableHashSet (whose lookups walk a tree).
    private static readonly HashSet<string> InMemoryOperatorNames = new(MaterializedQueries.SequenceOperators.Union(MaterializedQueries.TerminalOperators), System.StringComparer.Ordinal);
    private static readonly HashSet<string> MaterializerNames = new(MaterializedQueries.MaterializerNames, System.StringComparer.Ordinal);

    // Read for every block of the compilation, so collections are allocated only when the block has something to put in them.
    private static readonly Dictionary<string, int> NoInvocations = new();
    private Dictionary<string, int> _invoked = NoInvocations;
    private List<string>? _referencedBesidesInvoked; // few per block: a list, kept free of repeats
    private List<string>? _created;
    private List<string>? _repeatedInvoked;
    private List<string>? _waited;
    private List<string>? _waitedReceivers;
    private List<string>? _localFunctions;
    private List<string>? _methodGroups;
    private HashSet<string>? _materializedLocals;

    private readonly SyntaxNode _declaration;

    private BodySyntax(SyntaxNode declaration) => _declaration = declaration;

    /// <summary>
    /// Does a one-parameter lambda test a property of its parameter named in <paramref name="columns"/>
    /// (<c>o =&gt; o.Status == s</c>, <c>EF.Property&lt;T&gt;(o, "Status")</c>), or a query expression mention one? These are the
    /// predicates <see cref="UnindexedFilters"/> reads. (Reads the block's syntax again, for the one gate that needs it
    /// after its cheaper test passed.)
    /// </summary>
    public bool TestsAnyColumn(HashSet<string> columns)
    {
        if (columns.Count == 0)
        {
            return false;
        }

        foreach (var node in _declaration.DescendantNodes())
        {
            var (parameter, body) = node switch
            {
                SimpleLambdaExpressionSyntax simple => (simple.Parameter.Identifier.ValueText, (SyntaxNode)simple.Body),
                ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => (parenthesized.ParameterList.Parameters[0].Identifier.ValueText, parenthesized.Body),
                QueryExpressionSyntax query => (null, query),
                _ => (null, null),
            };
            if (body is null)
            {
                continue;
            }

            foreach (var inner in body.DescendantNodesAndSelf())
            {
                switch (inner)
                {
                    case MemberAccessExpressionSyntax access when columns.Contains(access.Name.Identifier.ValueText)
                        && (parameter is null || access.Expression is IdentifierNameSyntax root && root.Identifier.ValueText == parameter):
                    case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) && columns.Contains(literal.Token.ValueText):
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Property" } }: // EF.Property(o, nameof(..)) or a constant
                        return true;
                }
            }
        }

        return false;
    }

    /// <summary>A for, foreach (await foreach too), while or do loop.</summary>
    public bool HasLoop { get; private set; }

    /// <summary>A lambda, anonymous method or local function whose body calls something (a per-element query needs a call).</summary>
    public bool HasCallingLambda { get; private set; }

    /// <summary>Any lambda or anonymous method (lazy-loading reads need no call).</summary>
    public bool HasLambda { get; private set; }

    /// <summary><c>await</c> (also <c>await foreach/using</c>), or a member named Wait, GetResult or Result.</summary>
    public bool HasWait { get; private set; }

    /// <summary>A query expression (<c>from o in db.Orders where ... select o</c>): its clauses are calls no name shows.</summary>
    public bool HasQueryExpression { get; private set; }

    /// <summary>Some simple name is called more than once.</summary>
    public bool HasRepeatedCall { get; private set; }

    /// <summary>The simple names of the methods called (<c>x.Foo()</c>, <c>Foo&lt;T&gt;()</c>, <c>x?.Foo()</c> → Foo).</summary>
    public Dictionary<string, int>.KeyCollection InvokedNames => _invoked.Keys;

    /// <summary>
    /// Names a call-graph edge can go through: called methods, created types, method groups passed as arguments,
    /// and parameter types (constructor injection). See <see cref="RequestPathGraph"/>.
    /// </summary>
    public IEnumerable<string> ReferencedNames
    {
        get
        {
            foreach (var name in _invoked.Keys)
            {
                yield return name;
            }

            if (_referencedBesidesInvoked is { } others)
            {
                foreach (var name in others)
                {
                    if (!_invoked.ContainsKey(name))
                    {
                        yield return name;
                    }
                }
            }
        }
    }

    public bool References(string name) => _invoked.ContainsKey(name) || _referencedBesidesInvoked?.Contains(name) == true;

    private void AddReferenced(string name)
    {
        var names = _referencedBesidesInvoked ??= new List<string>(4);
        if (!names.Contains(name))
        {
            names.Add(name);
        }
    }

    /// <summary>The simple names called where they can run once per element (see <see cref="IsInRepeatedScope"/>).</summary>
    public IReadOnlyList<string> RepeatedInvokedNames => (IReadOnlyList<string>?)_repeatedInvoked ?? System.Array.Empty<string>();

    /// <summary>A foreach where it can run once per element (<see cref="IsInRepeatedScope"/>): an iterated query executed per element.</summary>
    public bool HasNestedForEach { get; private set; }

    /// <summary>Any foreach (or await foreach): iterating a query executes it.</summary>
    public bool HasForEach { get; private set; }

    /// <summary>
    /// The simple names of the calls waited on directly: <c>await x.Foo()</c> (also through <c>ConfigureAwait</c> and a
    /// gRPC call's <c>ResponseAsync</c>), <c>x.Foo().Wait()</c>, <c>x.Foo().Result</c>, <c>x.Foo().GetAwaiter().GetResult()</c>.
    /// </summary>
    public IReadOnlyList<string> WaitedNames => (IReadOnlyList<string>?)_waited ?? System.Array.Empty<string>();

    /// <summary>The identifiers the directly waited calls are made on (<c>await _auditClient.SendAsync()</c> → _auditClient).</summary>
    public IReadOnlyList<string> WaitedReceiverNames => (IReadOnlyList<string>?)_waitedReceivers ?? System.Array.Empty<string>();

    /// <summary>The names of the local functions the block declares (callable by name like methods).</summary>
    public IReadOnlyList<string> LocalFunctionNames => (IReadOnlyList<string>?)_localFunctions ?? System.Array.Empty<string>();

    /// <summary>
    /// A filtering, sorting, paging or aggregating operator applied to a materialized result (<c>q.ToList().Where(..)</c>,
    /// <c>(await q.ToListAsync()).Count(..)</c>), to a local declared from one (<c>var all = q.ToList(); all.Where(..)</c>),
    /// or a query expression over either.
    /// </summary>
    public bool HasOperatorAfterMaterializer { get; private set; }

    public bool RepeatedInvokesAny(System.Func<string, bool> predicate) => AnyOf(_repeatedInvoked, predicate);

    /// <summary>Is some name handed over as an argument (a method group, or any identifier or member access) one <paramref name="predicate"/> accepts?</summary>
    public bool HandsOverAny(System.Func<string, bool> predicate) => AnyOf(_methodGroups, predicate);

    private static bool AnyOf(List<string>? names, System.Func<string, bool> predicate)
    {
        if (names is not null)
        {
            foreach (var name in names)
            {
                if (predicate(name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Is some name that <paramref name="predicate"/> accepts called twice (a repeated lookup repeats the call's text, so
    /// its name)? Names that never look anything up (<see cref="NeverLookups"/>) do not count, as for <see cref="HasRepeatedCall"/>.
    /// </summary>
    public bool InvokesTwiceAny(System.Func<string, bool> predicate)
    {
        if (!HasRepeatedCall)
        {
            return false;
        }

        foreach (var pair in _invoked)
        {
            if (pair.Value > 1 && !NeverLookups.Contains(pair.Key) && predicate(pair.Key))
            {
                return true;
            }
        }

        return false;
    }

    public bool InvokesAny(HashSet<string> names)
    {
        foreach (var name in _invoked.Keys)
        {
            if (names.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The simple names of the types created with <c>new T(...)</c>.</summary>
    public IReadOnlyList<string> CreatedTypeNames => (IReadOnlyList<string>?)_created ?? System.Array.Empty<string>();

    /// <summary>
    /// Reads a declaration's syntax once (cached per compilation by <see cref="PerfCompilationContext.BodySyntaxOf"/>).
    /// <paramref name="perElementMethodNames"/>: the names of the methods that run a lambda once per element
    /// (<see cref="PerfCompilationContext.PerElementMethodNames"/>).
    /// </summary>
    public static BodySyntax Compute(SyntaxNode declaration, HashSet<string> perElementMethodNames)
    {
        var facts = new BodySyntax(declaration);
        foreach (var node in declaration.DescendantNodes())
        {
            switch (node)
            {
                case ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax:
                    facts.HasLoop = true;
                    break;
                case CommonForEachStatementSyntax forEach:
                    facts.HasLoop = true;
                    facts.HasForEach = true;
                    facts.HasNestedForEach |= IsInRepeatedScope(forEach, declaration, perElementMethodNames);
                    facts.HasWait |= forEach.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword);
                    break;
                case UsingStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword }:
                case LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword }:
                    facts.HasWait = true;
                    break;
                case AwaitExpressionSyntax awaited:
                    facts.HasWait = true;
                    facts.AddWaited(awaited.Expression);
                    break;
                case AnonymousFunctionExpressionSyntax lambda:
                    facts.HasLambda = true;
                    facts.HasCallingLambda |= ContainsCall(lambda);
                    break;
                case LocalFunctionStatementSyntax local:
                    facts.HasCallingLambda |= ContainsCall(local);
                    (facts._localFunctions ??= new List<string>()).Add(local.Identifier.ValueText);
                    break;
                case InvocationExpressionSyntax invocation:
                    facts.AddInvocation(invocation, declaration, perElementMethodNames);
                    break;
                case QueryExpressionSyntax query:
                    facts.HasQueryExpression = true;
                    facts.HasOperatorAfterMaterializer |= facts.IsMaterialized(query.FromClause.Expression);
                    break;
                case VariableDeclaratorSyntax { Initializer.Value: { } initial } declarator when IsMaterializerCall(initial):
                    (facts._materializedLocals ??= new HashSet<string>(System.StringComparer.Ordinal)).Add(declarator.Identifier.ValueText);
                    break;
                case ObjectCreationExpressionSyntax creation:
                    if (RightmostName(creation.Type) is { } typeName)
                    {
                        facts.AddReferenced(typeName);
                        (facts._created ??= new List<string>()).Add(typeName);
                    }

                    break;
                case ImplicitObjectCreationExpressionSyntax:
                    facts.AddReferenced(ImplicitCreation);
                    break;
                case ArgumentSyntax { Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax or GenericNameSyntax } argument:
                    // A method group handed over (MapGet("/", Handler), items.Select(Map)).
                    if (RightmostName(argument.Expression) is { } group)
                    {
                        facts.AddReferenced(group);
                        (facts._methodGroups ??= new List<string>()).Add(group);
                    }

                    break;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } result:
                    facts.HasWait = true;
                    facts.AddWaited(result.Expression);
                    break;
                case ParameterSyntax { Type: { } parameterType }:
                    if (RightmostName(parameterType) is { } injected)
                    {
                        facts.AddReferenced(injected);
                    }

                    break;
            }
        }

        return facts;
    }

    private void AddInvocation(InvocationExpressionSyntax invocation, SyntaxNode declaration, HashSet<string> perElementMethodNames)
    {
        var target = invocation.Expression;
        var name = RightmostName(target);
        if (name is null)
        {
            return;
        }

        if (name is "Wait" or "GetResult")
        {
            HasWait = true;
            if (target is MemberAccessExpressionSyntax waitOn)
            {
                // task.Wait(), task.GetAwaiter().GetResult()
                AddWaited(name == "GetResult" && waitOn.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } awaiter }
                    ? awaiter.Expression
                    : waitOn.Expression);
            }
        }

        if (IsInRepeatedScope(invocation, declaration, perElementMethodNames))
        {
            (_repeatedInvoked ??= new List<string>()).Add(name);
        }

        if (InMemoryOperatorNames.Contains(name)
            && (target is MemberAccessExpressionSyntax { Expression: var source } && IsMaterialized(source)
                || invocation.ArgumentList.Arguments.Count > 0 && IsMaterialized(invocation.ArgumentList.Arguments[0].Expression)))
        {
            HasOperatorAfterMaterializer = true;
        }

        if (ReferenceEquals(_invoked, NoInvocations))
        {
            _invoked = new Dictionary<string, int>(System.StringComparer.Ordinal);
        }

        _invoked.TryGetValue(name, out var count);
        _invoked[name] = count + 1;
        HasRepeatedCall |= count > 0 && !NeverLookups.Contains(name);
    }

    /// <summary>
    /// Does the node run once per element, as <see cref="LoopScope.TryGetEnclosingLoops"/> sees it from syntax: in a loop's
    /// body (a for loop's condition and incrementors, a while loop's condition too; not a foreach's collection or a for
    /// loop's initializer), in a query expression's clauses after its first <c>from</c>, or in a lambda passed to a method
    /// named like a per-element operator. A lambda passed anywhere
    /// else and a local function run at an unknown time: loops around them do not count.
    /// </summary>
    private static bool IsInRepeatedScope(SyntaxNode node, SyntaxNode declaration, HashSet<string> perElementMethodNames)
    {
        var child = node;
        for (var current = node.Parent; current is not null && current != declaration; child = current, current = current.Parent)
        {
            switch (current)
            {
                case CommonForEachStatementSyntax forEach when child == forEach.Statement:
                case ForStatementSyntax forLoop when child == forLoop.Statement || child == forLoop.Condition || child is ExpressionSyntax incrementor && forLoop.Incrementors.Contains(incrementor):
                case WhileStatementSyntax or DoStatementSyntax:
                case QueryBodySyntax: // clauses after the first from run per element (they translate to lambdas)
                    return true;
                case AnonymousFunctionExpressionSyntax lambda:
                    return IsPerElementLambda(lambda, perElementMethodNames);
                case LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    /// <summary>A lambda passed to a method named like a LINQ, Parallel, List or Array per-element operator.</summary>
    private static bool IsPerElementLambda(AnonymousFunctionExpressionSyntax lambda, HashSet<string> perElementMethodNames)
    {
        SyntaxNode? parent = lambda.Parent;
        while (parent is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            parent = parent.Parent;
        }

        return parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } }
            && RightmostName(invocation.Expression) is { } name
            && perElementMethodNames.Contains(name);
    }

    /// <summary>Records the call an await or a blocking wait waits on, through ConfigureAwait and a gRPC call's ResponseAsync.</summary>
    private void AddWaited(ExpressionSyntax waited)
    {
        var expression = StripParenthesesAndCasts(waited);
        if (expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configured })
        {
            expression = StripParenthesesAndCasts(configured.Expression);
        }

        if (expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ResponseAsync" } response)
        {
            expression = StripParenthesesAndCasts(response.Expression);
        }

        if (expression is not InvocationExpressionSyntax invocation || RightmostName(invocation.Expression) is not { } name)
        {
            return;
        }

        (_waited ??= new List<string>()).Add(name);
        if (invocation.Expression is MemberAccessExpressionSyntax access && RightmostName(StripParenthesesAndCasts(access.Expression)) is { } receiver)
        {
            (_waitedReceivers ??= new List<string>()).Add(receiver);
        }
    }

    /// <summary>A materialized result: a materializer call (awaited or not), or a local declared from one.</summary>
    private bool IsMaterialized(ExpressionSyntax expression)
        => IsMaterializerCall(expression)
            || StripParenthesesAndCasts(expression) is IdentifierNameSyntax identifier && _materializedLocals?.Contains(identifier.Identifier.ValueText) == true;

    private static bool IsMaterializerCall(ExpressionSyntax expression)
    {
        var value = StripParenthesesAndCasts(expression);
        if (value is AwaitExpressionSyntax awaited)
        {
            value = StripParenthesesAndCasts(awaited.Expression);
        }

        return value is InvocationExpressionSyntax invocation && RightmostName(invocation.Expression) is { } name && MaterializerNames.Contains(name);
    }

    private static ExpressionSyntax StripParenthesesAndCasts(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    break;
                case CastExpressionSyntax cast:
                    expression = cast.Expression;
                    break;
                case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed:
                    expression = suppressed.Operand;
                    break;
                default:
                    return expression;
            }
        }
    }

    /// <summary>
    /// Does the function's body call something that could be a round trip or a remote call? Calls made on the
    /// function's own parameters (<c>o =&gt; o.Name.Contains(term)</c>) or on predefined types (<c>string.Join</c>) cannot.
    /// </summary>
    private static bool ContainsCall(SyntaxNode function)
    {
        var parameters = function switch
        {
            SimpleLambdaExpressionSyntax simple => new[] { simple.Parameter.Identifier.ValueText },
            ParenthesizedLambdaExpressionSyntax parenthesized => Names(parenthesized.ParameterList),
            AnonymousMethodExpressionSyntax anonymous => Names(anonymous.ParameterList),
            LocalFunctionStatementSyntax local => Names(local.ParameterList),
            _ => System.Array.Empty<string>(),
        };
        foreach (var node in function.DescendantNodes())
        {
            switch (node)
            {
                case CommonForEachStatementSyntax:
                    return true;
                case InvocationExpressionSyntax invocation:
                    var root = ReceiverRoot(invocation.Expression);
                    if (root is PredefinedTypeSyntax || (root is IdentifierNameSyntax identifier && root != invocation.Expression && System.Array.IndexOf(parameters, identifier.Identifier.ValueText) >= 0))
                    {
                        continue;
                    }

                    return true;
            }
        }

        return false;
    }

    private static string[] Names(ParameterListSyntax? parameters)
    {
        if (parameters is null)
        {
            return System.Array.Empty<string>();
        }

        var names = new string[parameters.Parameters.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = parameters.Parameters[i].Identifier.ValueText;
        }

        return names;
    }

    /// <summary>The start of a receiver chain: <c>o.Items.First().Name</c> → o.</summary>
    private static ExpressionSyntax ReceiverRoot(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case MemberAccessExpressionSyntax access:
                    expression = access.Expression;
                    break;
                case InvocationExpressionSyntax invocation:
                    expression = invocation.Expression;
                    break;
                case ConditionalAccessExpressionSyntax conditional:
                    expression = conditional.Expression;
                    break;
                case ElementAccessExpressionSyntax element:
                    expression = element.Expression;
                    break;
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    break;
                default:
                    return expression;
            }
        }
    }

    /// <summary>The last simple name of a name or member access (<c>a.b.Foo&lt;T&gt;</c> → Foo).</summary>
    public static string? RightmostName(SyntaxNode? node) => node switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        NullableTypeSyntax nullable => RightmostName(nullable.ElementType),
        ThisExpressionSyntax => "this",
        _ => null,
    };
}
