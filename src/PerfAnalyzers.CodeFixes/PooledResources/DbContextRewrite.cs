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
/// <c>new XDbContext(options)</c> on a request path → the container's context. Offered only in a class the container creates
/// per request (controller, scoped/transient service), when X is registered (<c>AddDbContext</c>, <c>AddDbContextPool</c>,
/// <c>AddDbContextFactory</c>, <c>AddPooledDbContextFactory</c>) and the arguments are the injected options, not per-request
/// state. A context created once, never disposed and only read from is replaced by the injected scoped context; one the
/// code disposes (a <c>using</c>), creates several of, or saves through becomes <c>IDbContextFactory&lt;X&gt;.CreateDbContext()</c>,
/// the <c>using</c> kept because the caller owns what the factory creates.
/// </summary>
internal static class DbContextRewrite
{
    private const string Ef = "Microsoft.EntityFrameworkCore";

    public static async Task<Solution?> ApplyAsync(Solution solution, DocumentId documentId, TextSpan span, CancellationToken cancellationToken)
    {
        var document = solution.GetDocument(documentId);
        var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = document is null ? null : await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (document is null || root is null || model is null
            || root.FindNode(span, getInnermostNodeForTie: true) is not BaseObjectCreationExpressionSyntax { Initializer: null } creation
            || creation.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not ClassDeclarationSyntax type
            || creation.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } member
            || member.Modifiers.Any(SyntaxKind.StaticKeyword)
            || (type.ParameterList is not null && type.Members.OfType<ConstructorDeclarationSyntax>().Any())
            || model.GetDeclaredSymbol(type, cancellationToken) is not { } typeSymbol
            || model.GetTypeInfo(creation, cancellationToken).Type is not INamedTypeSymbol contextType
            || !contextType.InheritsFromOrEquals(PerfCompilationContext.For(model.Compilation).Types.DbContext))
        {
            return null;
        }

        // The arguments must be what the container would pass: options held by the instance (injected), not options
        // built from request data (a tenant's connection string) — those contexts are not interchangeable.
        foreach (var argument in creation.ArgumentList?.Arguments ?? default)
        {
            if (model.GetTypeInfo(argument.Expression, cancellationToken).Type?.Name != "DbContextOptions"
                || !SharedInstanceRewrite.IsSelfContained(model, argument.Expression, null, allowInstanceState: true, cancellationToken))
            {
                return null;
            }
        }

        // A scoped context injected into a singleton would outlive its scope: per-request classes only.
        if (await DependencyInjection.GetContainerLifetimeAsync(document.Project, typeSymbol, cancellationToken).ConfigureAwait(false) != DependencyInjection.ContainerLifetime.PerRequest)
        {
            return null;
        }

        var registrations = await FindRegistrationsAsync(document.Project, contextType, cancellationToken).ConfigureAwait(false);
        if (registrations.Count == 0)
        {
            return null; // not registered: the container could not supply it, and its options are unknown
        }

        var owned = creation.Parent is UsingStatementSyntax
            || creation.Parent is EqualsValueClauseSyntax { Parent.Parent.Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword } or UsingStatementSyntax }
            || member.DescendantNodes().OfType<BaseObjectCreationExpressionSyntax>().Any(c => c != creation && SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(c, cancellationToken).Type, contextType))
            || creation.Ancestors().TakeWhile(a => a != member).Any(a => a is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax or AnonymousFunctionExpressionSyntax);
        // Sharing the request's context is only safe for reads: SaveChanges on it would also save what other code in the
        // request tracked, and a transaction would span their work. Writers get their own context from the factory.
        owned = owned || Writes(model, creation, member, cancellationToken);
        var contextName = contextType.ToMinimalDisplayString(model, creation.SpanStart);
        return owned
            ? await UseFactoryAsync(document, root, model, creation, type, contextType, contextName, registrations, cancellationToken).ConfigureAwait(false)
            : await InjectContextAsync(document, root, model, creation, type, member, contextType, contextName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>using var db = new X(o)</c> → <c>using var db = _xFactory.CreateDbContext()</c>, registering the factory.</summary>
    private static async Task<Solution?> UseFactoryAsync(Document document, SyntaxNode root, SemanticModel model, BaseObjectCreationExpressionSyntax creation, ClassDeclarationSyntax type, INamedTypeSymbol contextType, string contextName, List<(DocumentId Document, InvocationExpressionSyntax Invocation, string Method)> registrations, CancellationToken cancellationToken)
    {
        // AddDbContext<X>(options) becomes AddDbContextFactory<X>(options): it registers the factory and, since EF Core 6,
        // X itself as scoped, so existing injections keep working. Adding a factory NEXT TO AddDbContext would make the
        // singleton factory depend on the scoped options AddDbContext registered. A pooled registration would need a pooled
        // factory with different lifetimes: not rewritten.
        var hasFactory = registrations.Any(r => r.Method is "AddDbContextFactory" or "AddPooledDbContextFactory");
        var toRename = hasFactory ? new List<(DocumentId Document, InvocationExpressionSyntax Invocation, string Method)>() : registrations;
        if (!hasFactory && registrations.Any(r => r.Method != "AddDbContext" || r.Invocation.ArgumentList.Arguments.Count > 1))
        {
            return null;
        }

        var factoryType = $"IDbContextFactory<{contextName}>";
        var fieldName = ExistingField(model, type, contextType, factory: true, cancellationToken)
            ?? PerElementLookup.UniqueName("_" + PerElementLookup.Camel(contextType.Name) + "Factory", PerElementLookup.NamesInScope(model, type));
        var createContext = InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(fieldName), IdentifierName("CreateDbContext")));
        var tracked = root.TrackNodes(creation, type);
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(creation)!, createContext.WithTriviaFrom(creation));
        if (!type.Members.OfType<FieldDeclarationSyntax>().Any(f => f.Declaration.Variables.Any(v => v.Identifier.ValueText == fieldName)))
        {
            tracked = DependencyInjection.AddConstructorDependency(tracked, tracked.GetCurrentNode(type)!, factoryType, fieldName,
                PerElementLookup.UniqueName(PerElementLookup.Camel(contextType.Name) + "Factory", SharedInstanceRewrite.ConstructorNames(type, fieldName)));
        }

        var solution = await CheckedAsync(document, tracked, cancellationToken).ConfigureAwait(false);
        if (solution is null)
        {
            return null;
        }

        foreach (var registration in toRename)
        {
            var registrationRoot = await solution.GetDocument(registration.Document)!.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (registrationRoot?.FindNode(registration.Invocation.Span, getInnermostNodeForTie: true) is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: GenericNameSyntax name } })
            {
                solution = solution.WithDocumentSyntaxRoot(registration.Document, registrationRoot.ReplaceNode(name, name.WithIdentifier(Identifier("AddDbContextFactory").WithTriviaFrom(name.Identifier))));
            }
        }

        return solution;
    }

    /// <summary><c>var db = new X(o)</c> (created once, never disposed) → the injected scoped context.</summary>
    private static async Task<Solution?> InjectContextAsync(Document document, SyntaxNode root, SemanticModel model, BaseObjectCreationExpressionSyntax creation, ClassDeclarationSyntax type, MemberDeclarationSyntax member, INamedTypeSymbol contextType, string contextName, CancellationToken cancellationToken)
    {
        if (!SharedInstanceRewrite.TryGetOwningLocal(model, creation, cancellationToken, out var local, out _))
        {
            return null; // returned or stored: its receiver might dispose the request's context
        }

        var disposals = new List<StatementSyntax>();
        if (local is not null && (!SharedInstanceRewrite.CollectDisposals(model, member, local, disposals, cancellationToken) || disposals.Count > 0))
        {
            return null; // disposed by hand: the factory shape keeps that ownership, this one cannot
        }

        var fieldName = ExistingField(model, type, contextType, factory: false, cancellationToken)
            ?? PerElementLookup.UniqueName("_" + PerElementLookup.Camel(contextType.Name), PerElementLookup.NamesInScope(model, type));
        var tracked = root.TrackNodes(creation, type);
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(creation)!, IdentifierName(fieldName).WithTriviaFrom(creation));
        if (!type.Members.OfType<FieldDeclarationSyntax>().Any(f => f.Declaration.Variables.Any(v => v.Identifier.ValueText == fieldName)))
        {
            tracked = DependencyInjection.AddConstructorDependency(tracked, tracked.GetCurrentNode(type)!, contextName, fieldName,
                PerElementLookup.UniqueName(PerElementLookup.Camel(contextType.Name), SharedInstanceRewrite.ConstructorNames(type, fieldName)));
        }

        return await CheckedAsync(document, tracked, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Does the code save or open a transaction through the created context (the inline expression or its local)?</summary>
    private static bool Writes(SemanticModel model, BaseObjectCreationExpressionSyntax creation, MemberDeclarationSyntax member, CancellationToken cancellationToken)
    {
        static bool IsWrite(SyntaxNode use)
            => use.Parent is MemberAccessExpressionSyntax access && access.Expression == use
                && (access.Name.Identifier.ValueText.StartsWith("SaveChanges", System.StringComparison.Ordinal) || access.Name.Identifier.ValueText == "Database");

        if (IsWrite(creation))
        {
            return true;
        }

        if (creation.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local)
        {
            return false;
        }

        return member.DescendantNodes().OfType<IdentifierNameSyntax>().Any(name => name.Identifier.ValueText == local.Name
            && IsWrite(name) && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local));
    }

    private static async Task<Solution?> CheckedAsync(Document document, SyntaxNode newRoot, CancellationToken cancellationToken)
    {
        var newDocument = await Usings.EnsureAsync(document.WithSyntaxRoot(newRoot), Ef, cancellationToken).ConfigureAwait(false);
        return await CodeFixChecks.IntroducesErrorsAsync(document, newDocument, cancellationToken).ConfigureAwait(false) ? null : newDocument.Project.Solution;
    }

    private static string? ExistingField(SemanticModel model, ClassDeclarationSyntax type, INamedTypeSymbol contextType, bool factory, CancellationToken cancellationToken)
    {
        foreach (var field in type.Members.OfType<FieldDeclarationSyntax>().Where(f => !f.Modifiers.Any(SyntaxKind.StaticKeyword) && f.Declaration.Variables.Count == 1))
        {
            if (model.GetDeclaredSymbol(field.Declaration.Variables[0], cancellationToken) is IFieldSymbol { Type: INamedTypeSymbol fieldType }
                && (factory
                    ? fieldType.Name == "IDbContextFactory" && fieldType.TypeArguments.Length == 1 && SymbolEqualityComparer.Default.Equals(fieldType.TypeArguments[0], contextType)
                    : SymbolEqualityComparer.Default.Equals(fieldType, contextType)))
            {
                return field.Declaration.Variables[0].Identifier.ValueText;
            }
        }

        return null;
    }

    /// <summary>The project's <c>services.AddDbContext&lt;X&gt;(...)</c>-family registrations of the context.</summary>
    private static async Task<List<(DocumentId Document, InvocationExpressionSyntax Invocation, string Method)>> FindRegistrationsAsync(Project project, INamedTypeSymbol contextType, CancellationToken cancellationToken)
    {
        var found = new List<(DocumentId, InvocationExpressionSyntax, string)>();
        foreach (var document in project.Documents)
        {
            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            if (!text.ToString().Contains("DbContext") || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var invocation in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (invocation.Expression is not MemberAccessExpressionSyntax { Name: GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 } name }
                    || name.Identifier.ValueText is not ("AddDbContext" or "AddDbContextPool" or "AddDbContextFactory" or "AddPooledDbContextFactory"))
                {
                    continue;
                }

                model ??= await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                if (model?.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { TypeArguments.Length: 1 } method
                    && SymbolEqualityComparer.Default.Equals(method.TypeArguments[0], contextType)
                    && method.ContainingNamespace?.ToDisplayString() == "Microsoft.Extensions.DependencyInjection")
                {
                    found.Add((document.Id, invocation, name.Identifier.ValueText));
                }
            }
        }

        return found;
    }
}
