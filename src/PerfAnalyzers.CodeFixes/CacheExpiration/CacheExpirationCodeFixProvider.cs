using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.CodeFixes.CacheExpiration;

/// <summary>
/// PERF005 fix: gives the cache entry an explicit expiration of <c>cache_expiration_minutes</c> (default 5) — a property
/// in the options initializer written here, a new options argument, <c>expiry:</c> for Redis, the <c>TimeSpan</c>
/// overload of <c>IMemoryCache.Set</c>, or the first statement of a <c>GetOrCreate</c> factory.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CacheExpirationCodeFixProvider)), Shared]
public sealed class CacheExpirationCodeFixProvider : InvocationRewriteCodeFixProvider
{
    public const string AddExpirationKey = "PERF005.AddExpiration";
    private const string RelativeExpiration = "AbsoluteExpirationRelativeToNow";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.CacheEntryWithoutExpiration);

    protected override string Title => "Add an expiration";

    protected override string EquivalenceKey => AddExpirationKey;

    protected override Task<Document?> RewriteAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        => AddExpirationAsync(document, invocation, cancellationToken);

    private static async Task<Document?> AddExpirationAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
        {
            return null;
        }

        var types = PerfCompilationContext.For(model.Compilation).Types;
        var timeSpan = "TimeSpan.FromMinutes(" + Minutes(document, invocation.SyntaxTree).ToString(CultureInfo.InvariantCulture) + ")";
        var method = operation.TargetMethod;
        var namespaces = new List<string> { "System" };
        SyntaxNode? newRoot = method.Name switch
        {
            "Set" or "SetAsync" or "SetString" or "SetStringAsync" when method.ContainingType.IsType(types.IDistributedCache) || method.IsExtensionMethod && method.Parameters[0].Type.IsType(types.IDistributedCache)
                => FixOptions(root, operation, invocation, types.DistributedCacheEntryOptions, "options", "DistributedCacheEntryOptions", timeSpan, namespaces, model, cancellationToken),
            "Set" when method.ContainingType.IsType(types.MemoryCacheExtensions) && method.Parameters.Length == 3
                => AddArgument(root, invocation, operation, "absoluteExpirationRelativeToNow", timeSpan),
            "Set" when method.ContainingType.IsType(types.MemoryCacheExtensions)
                => FixOptions(root, operation, invocation, types.MemoryCacheEntryOptions, "options", null, timeSpan, namespaces, model, cancellationToken),
            "GetOrCreate" or "GetOrCreateAsync" when method.ContainingType.IsType(types.MemoryCacheExtensions)
                => FixFactory(root, operation, timeSpan),
            "StringSet" or "StringSetAsync" => FixRedis(root, invocation, operation, timeSpan),
            "HashSet" or "HashSetAsync" or "ListRightPush" or "ListRightPushAsync" or "ListLeftPush" or "ListLeftPushAsync" or "SetAdd" or "SetAddAsync" or "SortedSetAdd" or "SortedSetAddAsync"
                => FixRedisStructure(root, invocation, operation, timeSpan),
            _ => null,
        };
        if (newRoot is null)
        {
            return null;
        }

        var fixedDocument = document.WithSyntaxRoot(newRoot);
        foreach (var ns in namespaces)
        {
            fixedDocument = await Usings.EnsureAsync(fixedDocument, ns, cancellationToken).ConfigureAwait(false);
        }

        return await CodeFixChecks.IntroducesErrorsAsync(document, fixedDocument, cancellationToken).ConfigureAwait(false) ? null : fixedDocument;
    }

    private static int Minutes(Document document, SyntaxTree tree)
    {
        var options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree);
        return PerfOptions.CacheExpirationMinutes.GetValidValue(options, DiagnosticIds.CacheEntryWithoutExpiration) is { } value && PerfOptions.TryParsePositiveInt(value, out var minutes)
            ? minutes
            : PerfOptions.DefaultCacheExpirationMinutes;
    }

    /// <summary>The options written here get the property; no options argument gets a new one (distributed cache only).</summary>
    private static SyntaxNode? FixOptions(SyntaxNode root, IInvocationOperation operation, InvocationExpressionSyntax invocation, INamedTypeSymbol? optionsType, string parameterName, string? newOptionsTypeName, string timeSpan, List<string> namespaces, SemanticModel model, CancellationToken cancellationToken)
    {
        var options = operation.Arguments.FirstOrDefault(a => a.Parameter?.Type.IsType(optionsType) == true);
        if (options is null)
        {
            if (newOptionsTypeName is null)
            {
                return null;
            }

            namespaces.Add("Microsoft.Extensions.Caching.Distributed");
            return AddArgument(root, invocation, operation, parameterName, "new " + newOptionsTypeName + " { " + RelativeExpiration + " = " + timeSpan + " }");
        }

        var creation = options.Value.WalkDownConversions() switch
        {
            IObjectCreationOperation direct => direct.Syntax as BaseObjectCreationExpressionSyntax,
            ILocalReferenceOperation local => SingleCreationOf(local.Local, invocation, model, cancellationToken),
            _ => null,
        };
        return creation is null ? null : AddToInitializer(root, creation, RelativeExpiration + " = " + timeSpan);
    }

    /// <summary>The <c>new ...Options</c> a local is declared with, when the method assigns the local nothing else.</summary>
    private static BaseObjectCreationExpressionSyntax? SingleCreationOf(ILocalSymbol local, InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
    {
        if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: BaseObjectCreationExpressionSyntax creation } declarator)
        {
            return null;
        }

        var body = invocation.Ancestors().FirstOrDefault(n => n is MemberDeclarationSyntax or LocalFunctionStatementSyntax);
        var reassigned = body?.DescendantNodes().OfType<AssignmentExpressionSyntax>()
            .Any(a => a.Left is IdentifierNameSyntax name && name.Identifier.ValueText == declarator.Identifier.ValueText
                      && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(a.Left, cancellationToken).Symbol, local)) ?? true;
        return reassigned ? null : creation;
    }

    private static SyntaxNode? AddToInitializer(SyntaxNode root, BaseObjectCreationExpressionSyntax creation, string assignmentText)
    {
        var assignment = SyntaxFactory.ParseExpression(assignmentText);
        if (creation.Initializer is not { } initializer)
        {
            var withoutEmptyParens = creation is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0 } explicitType
                ? explicitType.WithArgumentList(null).WithType(explicitType.Type.WithoutTrailingTrivia())
                : creation.WithoutTrailingTrivia();
            var newInitializer = SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SingletonSeparatedList(assignment.WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space)))
                .WithLeadingTrivia(SyntaxFactory.Space);
            return root.ReplaceNode(creation, withoutEmptyParens.WithInitializer(newInitializer).WithTrailingTrivia(creation.GetTrailingTrivia()));
        }

        if (initializer.Expressions.Any(e => e is AssignmentExpressionSyntax { Left: IdentifierNameSyntax name } && name.Identifier.ValueText == RelativeExpiration))
        {
            return null;
        }

        if (initializer.Expressions.Count == 0 && initializer.OpenBraceToken.TrailingTrivia.FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: (int)SyntaxKind.EndOfLineTrivia } endOfLine)
        {
            // { <newline> }: the entry goes on its own line, one level in.
            var indented = assignment.WithLeadingTrivia(SyntaxFactory.Whitespace(LineIndentation(initializer.OpenBraceToken) + "    ")).WithTrailingTrivia(endOfLine);
            return root.ReplaceNode(initializer, initializer.WithExpressions(SyntaxFactory.SingletonSeparatedList(indented)));
        }

        if (initializer.Expressions.Count == 0)
        {
            var filled = initializer.WithExpressions(SyntaxFactory.SingletonSeparatedList(assignment.WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space)))
                .WithOpenBraceToken(initializer.OpenBraceToken.WithTrailingTrivia())
                .WithCloseBraceToken(initializer.CloseBraceToken.WithLeadingTrivia());
            return root.ReplaceNode(initializer, filled);
        }

        // Same layout as the entries already there: one per line, or all on one line.
        var items = initializer.Expressions.GetWithSeparators().ToList();
        var last = initializer.Expressions.Last();
        var hasTrailingComma = initializer.Expressions.SeparatorCount == initializer.Expressions.Count;
        if (hasTrailingComma)
        {
            var lastComma = (SyntaxToken)items[items.Count - 1];
            items.Add(assignment.WithLeadingTrivia(last.GetLeadingTrivia()).WithTrailingTrivia());
            items.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(lastComma.TrailingTrivia));
        }
        else
        {
            var multiLine = last.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            items[items.Count - 1] = last.WithTrailingTrivia();
            items.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(multiLine ? last.GetTrailingTrivia() : SyntaxFactory.TriviaList(SyntaxFactory.Space)));
            items.Add(assignment.WithLeadingTrivia(multiLine ? last.GetLeadingTrivia() : default).WithTrailingTrivia(last.GetTrailingTrivia()));
        }

        return root.ReplaceNode(initializer, initializer.WithExpressions(SyntaxFactory.SeparatedList<ExpressionSyntax>(items)));
    }

    /// <summary>
    /// Adds an argument: positionally before a trailing cancellation token (or at the end), or named at the end when
    /// the call already names its arguments.
    /// </summary>
    private static SyntaxNode AddArgument(SyntaxNode root, InvocationExpressionSyntax invocation, IInvocationOperation operation, string parameterName, string expressionText)
    {
        var arguments = invocation.ArgumentList.Arguments;
        var expression = SyntaxFactory.ParseExpression(expressionText);
        if (arguments.Any(a => a.NameColon is not null))
        {
            var named = SyntaxFactory.Argument(SyntaxFactory.NameColon(parameterName), default, expression);
            return root.ReplaceNode(invocation, invocation.WithArgumentList(invocation.ArgumentList.WithArguments(arguments.Add(named))));
        }

        var tokenArgument = operation.Arguments.FirstOrDefault(a => a.ArgumentKind == ArgumentKind.Explicit && a.Syntax is ArgumentSyntax && a.Parameter?.Type.ToDisplayString() == "System.Threading.CancellationToken");
        var index = tokenArgument?.Syntax is ArgumentSyntax tokenSyntax ? arguments.IndexOf(tokenSyntax) : arguments.Count;
        return root.ReplaceNode(invocation, invocation.WithArgumentList(invocation.ArgumentList.WithArguments(arguments.Insert(index < 0 ? arguments.Count : index, SyntaxFactory.Argument(expression)))));
    }

    /// <summary>Replaces an explicit no-expiry (<c>null</c>, <c>default</c>) or adds <c>expiry:</c>.</summary>
    private static SyntaxNode? FixRedis(SyntaxNode root, InvocationExpressionSyntax invocation, IInvocationOperation operation, string timeSpan)
    {
        var expiry = operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "expiry");
        if (expiry is { ArgumentKind: ArgumentKind.Explicit, Syntax: ArgumentSyntax explicitExpiry })
        {
            return root.ReplaceNode(explicitExpiry.Expression, SyntaxFactory.ParseExpression(timeSpan).WithTriviaFrom(explicitExpiry.Expression));
        }

        var named = SyntaxFactory.Argument(SyntaxFactory.NameColon("expiry"), default, SyntaxFactory.ParseExpression(timeSpan));
        return root.ReplaceNode(invocation, invocation.WithArgumentList(invocation.ArgumentList.WithArguments(invocation.ArgumentList.Arguments.Add(named))));
    }

    /// <summary>
    /// <c>await db.KeyExpireAsync(key, ...);</c> (or <c>db.KeyExpire</c>) as the statement after a hash/list/set write that
    /// is a statement of a block and is awaited or synchronous. Receiver and key are repeated, so both must be free of
    /// calls and side effects. An unawaited async write (queued on a transaction or batch, or fire-and-forget) gets no
    /// fix: where its TTL belongs is the author's call.
    /// </summary>
    private static SyntaxNode? FixRedisStructure(SyntaxNode root, InvocationExpressionSyntax invocation, IInvocationOperation operation, string timeSpan)
    {
        if (invocation.Expression is not MemberAccessExpressionSyntax { Expression: { } receiverSyntax } || operation.Instance is not { } receiver
            || operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "key") is not { Syntax: ArgumentSyntax keyArgument } key
            || !IsRepeatable(receiver) || !IsRepeatable(key.Value))
        {
            return null;
        }

        // await db.HashSetAsync(..)[.ConfigureAwait(false)];
        ExpressionSyntax outer = invocation;
        var configureAwait = "";
        if (outer.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configureAccess && configureAccess.Parent is InvocationExpressionSyntax configureCall)
        {
            configureAwait = "." + configureAccess.Name + configureCall.ArgumentList;
            outer = configureCall;
        }

        var awaited = outer.Parent is AwaitExpressionSyntax;
        var isAsync = operation.TargetMethod.Name.EndsWith("Async", System.StringComparison.Ordinal);
        if (isAsync != awaited)
        {
            return null;
        }

        var statement = (awaited ? outer.Parent!.Parent : outer.Parent) switch
        {
            ExpressionStatementSyntax expressionStatement => (StatementSyntax)expressionStatement,
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax local } } } => local,
            _ => null,
        };
        if (statement?.Parent is not BlockSyntax block)
        {
            return null;
        }

        var text = (awaited ? "await " : "") + receiverSyntax.WithoutTrivia() + "." + (isAsync ? "KeyExpireAsync" : "KeyExpire")
            + "(" + keyArgument.Expression.WithoutTrivia() + ", " + timeSpan + ")" + (awaited ? configureAwait : "") + ";";
        var indentation = statement.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
        var endOfLine = statement.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var expire = SyntaxFactory.ParseStatement(text)
            .WithLeadingTrivia(indentation.IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.TriviaList(indentation) : default)
            .WithTrailingTrivia(endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : SyntaxFactory.EndOfLine("\n"));
        return root.ReplaceNode(block, block.WithStatements(block.Statements.Insert(block.Statements.IndexOf(statement) + 1, expire)));
    }

    /// <summary>Evaluating the expression a second time gives the same value and does nothing else: names, members, constants, string building.</summary>
    private static bool IsRepeatable(IOperation operation)
    {
        foreach (var part in operation.DescendantsAndSelf())
        {
            if (part is IInvocationOperation or IAwaitOperation or IAssignmentOperation or IIncrementOrDecrementOperation or IObjectCreationOperation
                || part is IConversionOperation { OperatorMethod: { } operatorMethod } && !IsRedisType(operatorMethod.ContainingType))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsRedisType(INamedTypeSymbol? type) => type?.ContainingNamespace?.ToDisplayString() == "StackExchange.Redis";

    /// <summary><c>entry.AbsoluteExpirationRelativeToNow = ...;</c> as the factory's first statement.</summary>
    private static SyntaxNode? FixFactory(SyntaxNode root, IInvocationOperation operation, string timeSpan)
    {
        if (operation.GetArgument("factory")?.Syntax is not LambdaExpressionSyntax lambda)
        {
            return null;
        }

        var parameter = lambda switch
        {
            SimpleLambdaExpressionSyntax simple => simple.Parameter,
            ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0],
            _ => null,
        };
        if (parameter is null)
        {
            return null;
        }

        var statementText = parameter.Identifier.Text + "." + RelativeExpiration + " = " + timeSpan + ";";
        var endOfLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } eol ? eol : "\n";
        if (lambda.Block is { } block)
        {
            var indentation = block.Statements.FirstOrDefault()?.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString() ?? LineIndentation(block.OpenBraceToken) + "    ";
            var statement = SyntaxFactory.ParseStatement(statementText).WithLeadingTrivia(SyntaxFactory.Whitespace(indentation)).WithTrailingTrivia(SyntaxFactory.EndOfLine(endOfLine));
            return root.ReplaceNode(block, block.WithStatements(block.Statements.Insert(0, statement)));
        }

        if (lambda.ExpressionBody is not { } body)
        {
            return null;
        }

        var lineIndentation = LineIndentation(lambda.GetFirstToken());
        var head = lambda.ToString().Substring(0, body.SpanStart - lambda.SpanStart).TrimEnd();
        var text = head + endOfLine + lineIndentation + "{" + endOfLine
            + lineIndentation + "    " + statementText + endOfLine
            + lineIndentation + "    return " + body.ToString() + ";" + endOfLine
            + lineIndentation + "}";
        return root.ReplaceNode(lambda, SyntaxFactory.ParseExpression(text).WithTriviaFrom(lambda));
    }

    private static string LineIndentation(SyntaxToken token)
    {
        var text = token.SyntaxTree?.GetText();
        if (text is null)
        {
            return "";
        }

        var line = text.Lines.GetLineFromPosition(token.SpanStart).ToString();
        return line.Substring(0, line.Length - line.TrimStart().Length);
    }
}
