using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using PerfAnalyzers.CodeFixes.NPlusOne;
using PerfAnalyzers.Core;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace PerfAnalyzers.CodeFixes.PooledResources;

/// <summary>
/// "Use the shared instance" for objects the application should create once: a Redis <c>ConnectionMultiplexer</c> and an
/// <c>NpgsqlDataSource</c>. In a class the DI container constructs, the instance is injected through the constructor
/// (registered as a singleton in the composition root when found); elsewhere it becomes a <c>static readonly Lazy&lt;T&gt;</c>.
/// The creation expression is replaced by the shared instance, and disposing it per call (<c>using</c>, <c>Dispose()</c>) is
/// removed — a shared instance must outlive the call.
/// </summary>
internal static class SharedInstanceRewrite
{
    private sealed class Resource
    {
        public Resource(string injectedType, string concreteType, string ns, string fieldName, string staticName, string parameterName)
        {
            InjectedType = injectedType;
            ConcreteType = concreteType;
            Namespace = ns;
            FieldName = fieldName;
            StaticName = staticName;
            ParameterName = parameterName;
        }

        public string InjectedType { get; }

        public string ConcreteType { get; }

        public string Namespace { get; }

        public string FieldName { get; }

        public string StaticName { get; }

        public string ParameterName { get; }
    }

    private static readonly Resource Redis = new("IConnectionMultiplexer", "ConnectionMultiplexer", "StackExchange.Redis", "_redis", "SharedRedis", "redis");
    private static readonly Resource DataSource = new("NpgsqlDataSource", "NpgsqlDataSource", "Npgsql", "_dataSource", "SharedDataSource", "dataSource");

    /// <summary>The rewritten solution, or null when the site is not one this fix can rewrite safely.</summary>
    public static async Task<Solution?> ApplyAsync(Solution solution, DocumentId documentId, TextSpan span, CancellationToken cancellationToken)
    {
        var document = solution.GetDocument(documentId);
        var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = document is null ? null : await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (document is null || root is null || model is null
            || root.FindNode(span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation
            || invocation.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not ClassDeclarationSyntax type
            || invocation.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } member
            || model.GetDeclaredSymbol(type, cancellationToken) is not { } typeSymbol
            || !Recognize(model, invocation, cancellationToken, out var resource, out var target, out var syncCreation, out var configuration))
        {
            return null;
        }

        if (!TryGetOwningLocal(model, target, cancellationToken, out var local, out var declaration))
        {
            return null;
        }

        var disposals = new List<StatementSyntax>();
        if (local is not null && !CollectDisposals(model, member, local, disposals, cancellationToken))
        {
            return null;
        }

        var staticContext = type.Modifiers.Any(SyntaxKind.StaticKeyword) || member.Modifiers.Any(SyntaxKind.StaticKeyword);
        var lifetime = staticContext ? DependencyInjection.ContainerLifetime.None
            : await DependencyInjection.GetContainerLifetimeAsync(document.Project, typeSymbol, cancellationToken).ConfigureAwait(false);
        var inject = lifetime != DependencyInjection.ContainerLifetime.None
            && !(type.ParameterList is not null && type.Members.OfType<ConstructorDeclarationSyntax>().Any());
        // One shared instance is only right when every call would have created the same one: the configuration may not
        // come from parameters or locals (a tenant's endpoint); a static Lazy initializer can read no instance state either.
        if (!IsSelfContained(model, invocation, null, allowInstanceState: inject, cancellationToken))
        {
            return null;
        }

        var taken = PerElementLookup.NamesInScope(model, type);
        string fieldName;
        ExpressionSyntax replacement;
        MemberDeclarationSyntax? newField = null;
        if (inject)
        {
            fieldName = ExistingField(model, type, resource.Namespace + "." + resource.InjectedType, isStatic: false, null, cancellationToken)
                ?? PerElementLookup.UniqueName(resource.FieldName, taken);
            replacement = IdentifierName(fieldName);
        }
        else
        {
            var lazyInitializer = $"new Lazy<{resource.ConcreteType}>(() => {syncCreation})";
            fieldName = ExistingField(model, type, "System.Lazy<" + resource.Namespace + "." + resource.ConcreteType + ">", isStatic: true, lazyInitializer, cancellationToken)
                ?? PerElementLookup.UniqueName(resource.StaticName, taken);
            if (!type.Members.OfType<FieldDeclarationSyntax>().Any(f => f.Declaration.Variables.Any(v => v.Identifier.ValueText == fieldName)))
            {
                newField = ParseMemberDeclaration($"private static readonly Lazy<{resource.ConcreteType}> {fieldName} = {lazyInitializer};");
            }

            replacement = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(fieldName), IdentifierName("Value"));
        }

        var addsDependency = inject && !type.Members.OfType<FieldDeclarationSyntax>().Any(f => f.Declaration.Variables.Any(v => v.Identifier.ValueText == fieldName));
        var tracked = root.TrackNodes(new SyntaxNode[] { target, type }.Concat(disposals).Concat(declaration is null ? Enumerable.Empty<SyntaxNode>() : new SyntaxNode[] { declaration }));
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(target)!, replacement.WithTriviaFrom(target));
        if (declaration is not null)
        {
            var current = tracked.GetCurrentNode(declaration)!;
            var updated = current;
            if (updated.UsingKeyword.IsKind(SyntaxKind.UsingKeyword))
            {
                // `await using var redis = ...;` → `var redis = ...;` (comments before the statement kept).
                updated = updated.WithAwaitKeyword(default).WithUsingKeyword(default).WithModifiers(updated.Modifiers).WithLeadingTrivia(current.GetLeadingTrivia());
            }

            if (inject && !updated.Declaration.Type.IsVar)
            {
                updated = updated.WithDeclaration(updated.Declaration.WithType(ParseTypeName(resource.InjectedType).WithTriviaFrom(updated.Declaration.Type)));
            }

            tracked = tracked.ReplaceNode(current, updated);
        }

        tracked = tracked.RemoveNodes(disposals.Select(d => tracked.GetCurrentNode(d)!), SyntaxRemoveOptions.KeepNoTrivia)!;
        var currentType = (TypeDeclarationSyntax)tracked.GetCurrentNode(type)!;
        if (newField is not null)
        {
            tracked = tracked.ReplaceNode(currentType, Members.InsertFirst(currentType, newField));
        }
        else if (addsDependency)
        {
            tracked = DependencyInjection.AddConstructorDependency(tracked, currentType, resource.InjectedType, fieldName, PerElementLookup.UniqueName(resource.ParameterName, ConstructorNames(type, fieldName)));
        }

        var newDocument = document.WithSyntaxRoot(tracked);
        newDocument = await Usings.EnsureAsync(newDocument, resource.Namespace, cancellationToken).ConfigureAwait(false);
        if (!inject)
        {
            newDocument = await Usings.EnsureAsync(newDocument, "System", cancellationToken).ConfigureAwait(false);
        }

        if (await CodeFixChecks.IntroducesErrorsAsync(document, newDocument, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var newSolution = newDocument.Project.Solution;
        if (!addsDependency)
        {
            return newSolution;
        }

        var registration = Registration(model, resource, invocation, configuration, cancellationToken);
        if (registration is not null)
        {
            var (registered, found) = await CompositionRoot.TryEnsureRegistrationAsync(newSolution, document.Project.Id, new[] { registration }, resource.InjectedType, registration.Contains(".Configuration") ? new[] { resource.Namespace, "Microsoft.Extensions.Configuration" } : new[] { resource.Namespace }, cancellationToken).ConfigureAwait(false);
            if (found)
            {
                return registered;
            }
        }

        // No composition root found, or a configuration it cannot read: say where the registration belongs.
        var example = Registration(model, resource, invocation, null, cancellationToken) ?? "AddSingleton(...)";
        return await AddTodoAsync(newSolution, documentId, fieldName, $"// TODO: register once in the composition root: services.{example};", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The site's resource, the expression to replace (for <c>await ConnectAsync(...)</c> the whole await), the text of the
    /// synchronous creation a shared instance is built with, and its configuration argument.
    /// </summary>
    private static bool Recognize(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken, out Resource resource, out ExpressionSyntax target, out string syncCreation, out ExpressionSyntax configuration)
    {
        resource = Redis;
        target = configuration = invocation;
        syncCreation = invocation.WithoutTrivia().ToString();
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method || invocation.Expression is not MemberAccessExpressionSyntax access)
        {
            return false;
        }

        var types = PerfCompilationContext.For(model.Compilation).Types;
        var containing = method.ContainingType?.OriginalDefinition;
        var arguments = invocation.ArgumentList.Arguments;
        if (containing.IsType(types.ConnectionMultiplexer) && method.Name is "Connect" or "ConnectAsync" && arguments.Count == 1)
        {
            configuration = arguments[0].Expression;
            if (method.Name == "ConnectAsync")
            {
                // Only awaited: `await ConnectAsync(x)` / `await ConnectAsync(x).ConfigureAwait(false)` → the shared instance.
                SyntaxNode awaited = invocation;
                if (awaited.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Parent: InvocationExpressionSyntax configureAwait })
                {
                    awaited = configureAwait;
                }

                if (awaited.Parent is not AwaitExpressionSyntax awaitExpression)
                {
                    return false;
                }

                target = awaitExpression;
                syncCreation = invocation.WithExpression(access.WithName(IdentifierName("Connect"))).WithoutTrivia().ToString();
            }

            return true;
        }

        resource = DataSource;
        if (containing.IsType(types.NpgsqlDataSource) && method.Name == "Create" && arguments.Count == 1)
        {
            configuration = arguments[0].Expression;
            return true;
        }

        // new NpgsqlDataSourceBuilder(cs)[.UseX(...)...].Build(): the whole chain is the creation.
        if (containing.InheritsFromOrEquals(types.NpgsqlDataSourceBuilder) && method.Name == "Build" && arguments.Count == 0)
        {
            ExpressionSyntax receiver = access.Expression;
            while (receiver is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax inner })
            {
                receiver = inner.Expression;
            }

            if (receiver is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 1, Initializer: null } builder)
            {
                configuration = builder.ArgumentList.Arguments[0].Expression;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The local the created instance is stored in (<c>var redis = Connect(...)</c>), with its declaration statement. False when
    /// the instance initializes something else (a using statement, a for loop, a field) this fix does not rewrite.
    /// </summary>
    internal static bool TryGetOwningLocal(SemanticModel model, ExpressionSyntax target, CancellationToken cancellationToken, out ILocalSymbol? local, out LocalDeclarationStatementSyntax? declaration)
    {
        local = null;
        declaration = null;
        if (Outermost(target).Parent is UsingStatementSyntax)
        {
            return false; // using (ConnectionMultiplexer.Connect(...)) { }: the statement exists to dispose it
        }

        var parent = Outermost(target).Parent;
        if (parent is MemberAccessExpressionSyntax access && access.Expression == Outermost(target))
        {
            return true; // ConnectionMultiplexer.Connect(x).GetDatabase(): used, never handed on
        }

        if (parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator })
        {
            return false; // returned, stored or passed on: whoever receives it may own and dispose it
        }

        if (declarator.Parent?.Parent is not LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } statement)
        {
            return false;
        }

        declaration = statement;
        local = model.GetDeclaredSymbol(declarator, cancellationToken) as ILocalSymbol;
        return local is not null;
    }

    /// <summary>
    /// Statements that dispose the local (<c>redis.Dispose()</c>, <c>await dataSource.DisposeAsync()</c>, <c>Close</c>): removed.
    /// False when the instance escapes the method (returned, stored, disposed by a using statement): the caller may own it.
    /// </summary>
    internal static bool CollectDisposals(SemanticModel model, MemberDeclarationSyntax member, ILocalSymbol local, List<StatementSyntax> disposals, CancellationToken cancellationToken)
    {
        foreach (var reference in member.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (reference.Identifier.ValueText != local.Name || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(reference, cancellationToken).Symbol, local))
            {
                continue;
            }

            var use = Outermost(reference);
            if (use.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Dispose" or "DisposeAsync" or "Close" or "CloseAsync" } disposeAccess
                && disposeAccess.Parent is InvocationExpressionSyntax dispose)
            {
                SyntaxNode call = dispose;
                if (call.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Parent: InvocationExpressionSyntax configured })
                {
                    call = configured;
                }

                if (call.Parent is AwaitExpressionSyntax awaited)
                {
                    call = awaited;
                }

                if (call.Parent is ExpressionStatementSyntax { Parent: BlockSyntax } statement)
                {
                    disposals.Add(statement);
                    continue;
                }

                return false;
            }

            switch (use.Parent)
            {
                case ReturnStatementSyntax:
                case ArrowExpressionClauseSyntax:
                case UsingStatementSyntax:
                case AssignmentExpressionSyntax assignment when assignment.Right == use:
                case EqualsValueClauseSyntax:
                case YieldStatementSyntax:
                    return false;
            }
        }

        return true;
    }

    /// <summary>A field of the type, of type <paramref name="fullTypeName"/>, to reuse; for a static Lazy, only one with the same initializer.</summary>
    private static string? ExistingField(SemanticModel model, ClassDeclarationSyntax type, string fullTypeName, bool isStatic, string? initializer, CancellationToken cancellationToken)
    {
        foreach (var field in type.Members.OfType<FieldDeclarationSyntax>())
        {
            if (field.Modifiers.Any(SyntaxKind.StaticKeyword) != isStatic || field.Declaration.Variables.Count != 1)
            {
                continue;
            }

            var variable = field.Declaration.Variables[0];
            if (model.GetDeclaredSymbol(variable, cancellationToken) is IFieldSymbol symbol
                && symbol.Type.ToDisplayString().TrimEnd('?') == fullTypeName
                && (initializer is null || variable.Initializer?.Value.ToString() == initializer))
            {
                return variable.Identifier.ValueText;
            }
        }

        return null;
    }

    /// <summary>
    /// The registration line for the composition root, or null when the configuration cannot be read there. With
    /// <paramref name="configuration"/> null, the configuration as written (for a TODO comment).
    /// </summary>
    private static string? Registration(SemanticModel model, Resource resource, InvocationExpressionSyntax creation, ExpressionSyntax? configuration, CancellationToken cancellationToken)
    {
        var configurationText = configuration is null ? null : ConfigurationInCompositionRoot(model, configuration, cancellationToken);
        if (configuration is not null && (configurationText is null || !IsSelfContained(model, creation, configuration, allowInstanceState: false, cancellationToken)))
        {
            return null;
        }

        if (resource == Redis)
        {
            var arguments = configurationText ?? creation.ArgumentList.Arguments[0].Expression.WithoutTrivia().ToString();
            return $"AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect({arguments}))";
        }

        var creationText = creation.WithoutTrivia().ToString();
        if (configuration is not null && configurationText is not null)
        {
            var start = configuration.SpanStart - creation.SpanStart;
            creationText = creationText.Substring(0, start) + configurationText + creationText.Substring(start + configuration.Span.Length);
            if (creation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Create" }
                && model.Compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.NpgsqlServiceCollectionExtensions") is not null
                && model.GetTypeInfo(configuration, cancellationToken).Type?.SpecialType == SpecialType.System_String)
            {
                return $"AddNpgsqlDataSource({configurationText})"; // Npgsql.DependencyInjection: also registers DbDataSource
            }
        }

        return $"AddSingleton(_ => {creationText})";
    }

    /// <summary>A constant (as a literal) or a configuration read (<c>config.GetConnectionString("x")</c>, <c>config["x"]</c>) rewritten for Program.cs.</summary>
    private static string? ConfigurationInCompositionRoot(SemanticModel model, ExpressionSyntax configuration, CancellationToken cancellationToken)
    {
        if (model.GetConstantValue(configuration, cancellationToken) is { HasValue: true, Value: string constant })
        {
            return SymbolDisplay.FormatLiteral(constant, quote: true);
        }

        var host = CompositionRoot.HostPlaceholder + ".Configuration";
        switch (configuration)
        {
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetConnectionString" } access, ArgumentList.Arguments: { Count: 1 } arguments }
                when IsConfiguration(model.GetTypeInfo(access.Expression, cancellationToken).Type)
                    && model.GetConstantValue(arguments[0].Expression, cancellationToken) is { HasValue: true, Value: string name }:
                return $"{host}.GetConnectionString({SymbolDisplay.FormatLiteral(name, quote: true)})";
            case ElementAccessExpressionSyntax { ArgumentList.Arguments: { Count: 1 } keys } element
                when IsConfiguration(model.GetTypeInfo(element.Expression, cancellationToken).Type)
                    && model.GetConstantValue(keys[0].Expression, cancellationToken) is { HasValue: true, Value: string key }:
                return $"{host}[{SymbolDisplay.FormatLiteral(key, quote: true)}]";
        }

        return null;
    }

    private static bool IsConfiguration(ITypeSymbol? type)
        => type is not null && (type.ToDisplayString() == "Microsoft.Extensions.Configuration.IConfiguration"
            || type.AllInterfaces.Any(i => i.ToDisplayString() == "Microsoft.Extensions.Configuration.IConfiguration"));

    /// <summary>
    /// Does <paramref name="expression"/> (outside <paramref name="except"/>) read only types, constants, static members and
    /// its own lambda parameters, so it can move to a static initializer or the composition root?
    /// </summary>
    internal static bool IsSelfContained(SemanticModel model, ExpressionSyntax expression, ExpressionSyntax? except, bool allowInstanceState, CancellationToken cancellationToken)
    {
        foreach (var node in expression.DescendantNodesAndSelf(n => n != except))
        {
            if (except is not null && except.Span.Contains(node.Span))
            {
                continue;
            }

            if (node is ThisExpressionSyntax or BaseExpressionSyntax && !allowInstanceState)
            {
                return false;
            }

            if (node is not SimpleNameSyntax name || name.Parent is NameColonSyntax
                || (name.Parent is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax } initialized && initialized.Left == name))
            {
                continue; // named argument, or the member an object initializer sets
            }

            var info = model.GetSymbolInfo(name, cancellationToken);
            var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
            var qualified = allowInstanceState || (name.Parent is MemberAccessExpressionSyntax access && access.Name == name)
                || name.Parent is MemberBindingExpressionSyntax;
            if (symbol is IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } } && node.FirstAncestorOrSelf<ConstructorDeclarationSyntax>() is null)
            {
                // A primary-constructor parameter read in a member: state of the instance, like a field.
                if (!allowInstanceState)
                {
                    return false;
                }

                continue;
            }

            switch (symbol)
            {
                case ILocalSymbol or IParameterSymbol or IRangeVariableSymbol when !expression.Span.Contains(symbol.Locations.FirstOrDefault()?.SourceSpan ?? default):
                case IFieldSymbol { IsStatic: false, IsConst: false } when !qualified:
                case IPropertySymbol { IsStatic: false } when !qualified:
                case IEventSymbol { IsStatic: false } when !qualified:
                case IMethodSymbol { IsStatic: false, MethodKind: MethodKind.Ordinary } when !qualified:
                    return false;
            }
        }

        return true;
    }

    /// <summary>Names a new constructor parameter must not shadow: members and what constructors already use.</summary>
    internal static HashSet<string> ConstructorNames(ClassDeclarationSyntax type, string fieldName)
    {
        var names = new HashSet<string> { fieldName, type.Identifier.ValueText };
        foreach (var member in type.Members)
        {
            var tokens = member switch
            {
                ConstructorDeclarationSyntax => member.DescendantTokens(),
                BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier),
                _ => member.ChildTokens(),
            };
            foreach (var token in tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken)))
            {
                names.Add(token.ValueText);
            }
        }

        if (type.ParameterList is not null)
        {
            // A primary-constructor parameter is in scope in every member: avoid every name the type uses.
            foreach (var token in type.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)))
            {
                names.Add(token.ValueText);
            }
        }

        return names;
    }

    private static ExpressionSyntax Outermost(ExpressionSyntax expression)
    {
        while (expression.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized;
        }

        return expression;
    }

    private static async Task<Solution> AddTodoAsync(Solution solution, DocumentId documentId, string fieldName, string comment, CancellationToken cancellationToken)
    {
        var document = solution.GetDocument(documentId);
        var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var field = root?.DescendantNodes().OfType<FieldDeclarationSyntax>().FirstOrDefault(f => f.Declaration.Variables.Any(v => v.Identifier.ValueText == fieldName));
        if (document is null || root is null || field is null)
        {
            return solution;
        }

        var indentation = Members.Indentation(field);
        var leading = field.GetLeadingTrivia().AddRange(new[] { Comment(comment), Members.EndOfLine(field), indentation });
        return solution.WithDocumentSyntaxRoot(documentId, root.ReplaceNode(field, field.WithLeadingTrivia(leading)));
    }
}
