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
    private static readonly ImmutableHashSet<string> NeverLookups = ImmutableHashSet.Create(
        System.StringComparer.Ordinal,
        "Where", "Select", "SelectMany", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "Include", "ThenInclude", "Skip", "Take",
        "AsNoTracking", "AsQueryable", "AsEnumerable", "GroupBy", "Join", "Distinct", "ConfigureAwait",
        "Ok", "NotFound", "BadRequest", "Created", "CreatedAtAction", "CreatedAtRoute", "NoContent", "Accepted", "View", "PartialView", "Json",
        "Problem", "ValidationProblem", "StatusCode", "Redirect", "RedirectToAction", "Unauthorized", "Forbid", "Conflict",
        "LogTrace", "LogDebug", "LogInformation", "LogWarning", "LogError", "LogCritical", "Log", "BeginScope",
        "ToString", "Format", "Equals", "GetHashCode", "Concat", "Contains", "StartsWith", "EndsWith", "Trim", "ToLower", "ToUpper",
        "ToLowerInvariant", "ToUpperInvariant", "Replace", "Split", "Substring", "IsNullOrEmpty", "IsNullOrWhiteSpace", "Parse", "TryParse",
        "Add", "AddRange", "Remove", "Clear", "TryGetValue", "ContainsKey", "Append", "AppendLine", "Insert",
        "WhenAll", "WhenAny", "Delay", "FromResult", "Run", "ThrowIfCancellationRequested", "nameof", "ThrowIfNull", "Assert");

    private readonly Dictionary<string, int> _invoked = new(System.StringComparer.Ordinal);
    private readonly HashSet<string> _referenced = new(System.StringComparer.Ordinal);
    private readonly List<string> _receivers = new();
    private readonly List<string> _created = new();

    private BodySyntax()
    {
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
    public IReadOnlyCollection<string> InvokedNames => _invoked.Keys;

    /// <summary>
    /// Names a call-graph edge can go through: called methods, created types, method groups passed as arguments,
    /// and parameter types (constructor injection). See <see cref="RequestPathGraph"/>.
    /// </summary>
    public IReadOnlyCollection<string> ReferencedNames => _referenced;

    /// <summary>The identifiers calls are made on (<c>_auditClient.SendAsync()</c> → _auditClient).</summary>
    public IReadOnlyList<string> ReceiverNames => _receivers;

    public bool References(string name) => _referenced.Contains(name);

    public bool InvokesAny(System.Collections.Immutable.ImmutableHashSet<string> names)
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
    public IReadOnlyList<string> CreatedTypeNames => _created;

    /// <summary>Reads a declaration's syntax once (cached per compilation by <see cref="PerfCompilationContext.BodySyntaxOf"/>).</summary>
    public static BodySyntax Compute(SyntaxNode declaration)
    {
        var facts = new BodySyntax();
        foreach (var node in declaration.DescendantNodes())
        {
            switch (node)
            {
                case ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax:
                    facts.HasLoop = true;
                    break;
                case CommonForEachStatementSyntax forEach:
                    facts.HasLoop = true;
                    facts.HasWait |= forEach.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword);
                    break;
                case UsingStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword }:
                case LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword }:
                case AwaitExpressionSyntax:
                    facts.HasWait = true;
                    break;
                case AnonymousFunctionExpressionSyntax lambda:
                    facts.HasLambda = true;
                    facts.HasCallingLambda |= ContainsCall(lambda);
                    break;
                case LocalFunctionStatementSyntax local:
                    facts.HasCallingLambda |= ContainsCall(local);
                    break;
                case InvocationExpressionSyntax invocation:
                    facts.AddInvocation(invocation.Expression);
                    break;
                case QueryExpressionSyntax:
                    facts.HasQueryExpression = true;
                    break;
                case ObjectCreationExpressionSyntax creation:
                    if (RightmostName(creation.Type) is { } typeName)
                    {
                        facts._referenced.Add(typeName);
                        facts._created.Add(typeName);
                    }

                    break;
                case ImplicitObjectCreationExpressionSyntax:
                    facts._referenced.Add(ImplicitCreation);
                    break;
                case ArgumentSyntax { Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax or GenericNameSyntax } argument:
                    // A method group handed over (MapGet("/", Handler), items.Select(Map)).
                    if (RightmostName(argument.Expression) is { } group)
                    {
                        facts._referenced.Add(group);
                    }

                    break;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" }:
                    facts.HasWait = true;
                    break;
                case ParameterSyntax { Type: { } parameterType }:
                    if (RightmostName(parameterType) is { } injected)
                    {
                        facts._referenced.Add(injected);
                    }

                    break;
            }
        }

        return facts;
    }

    private void AddInvocation(ExpressionSyntax target)
    {
        var name = RightmostName(target);
        if (name is null)
        {
            return;
        }

        if (name is "Wait" or "GetResult")
        {
            HasWait = true;
        }

        _invoked.TryGetValue(name, out var count);
        _invoked[name] = count + 1;
        HasRepeatedCall |= count > 0 && !NeverLookups.Contains(name);
        _referenced.Add(name);

        var receiver = target switch
        {
            MemberAccessExpressionSyntax access => access.Expression,
            _ => null,
        };
        if (receiver is not null && RightmostName(receiver) is { } receiverName)
        {
            _receivers.Add(receiverName);
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
