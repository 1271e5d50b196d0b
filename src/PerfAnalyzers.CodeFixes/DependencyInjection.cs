using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PerfAnalyzers.Core;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace PerfAnalyzers.CodeFixes;

/// <summary>Adding a constructor-injected dependency to a class: a readonly field assigned from a new constructor parameter.</summary>
internal static class DependencyInjection
{
    /// <summary>How the DI container creates a class, as far as the project's own code shows.</summary>
    public enum ContainerLifetime
    {
        /// <summary>Not provably created by the container (or also created with <c>new</c>): constructor injection could break it.</summary>
        None,

        /// <summary>A controller, page model, hub or view component, or registered scoped/transient (typed clients included).</summary>
        PerRequest,

        /// <summary>Registered with <c>AddSingleton</c>/<c>AddHostedService</c>.</summary>
        Singleton,
    }

    /// <summary>
    /// Whether the container constructs <paramref name="type"/>: MVC/Razor/SignalR types, or a generic registration with it
    /// as the implementation type and no factory (<c>AddScoped&lt;IFoo, Foo&gt;()</c>). A class that the project also creates
    /// with <c>new</c>, or registers through a factory lambda, is <see cref="ContainerLifetime.None"/>: a new constructor
    /// parameter would break those call sites.
    /// </summary>
    public static async Task<ContainerLifetime> GetContainerLifetimeAsync(Project project, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        if (compilation is null || type.IsStatic || type.IsAbstract)
        {
            return ContainerLifetime.None;
        }

        var perf = PerfCompilationContext.For(compilation);
        var lifetime = type.InstanceConstructors.Any(c => perf.RequestPaths.DescribeEntry(c) is not null) ? ContainerLifetime.PerRequest : ContainerLifetime.None;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var text = await tree.GetTextAsync(cancellationToken).ConfigureAwait(false);
            if (!text.ToString().Contains(type.Name))
            {
                continue;
            }

            var model = compilation.GetSemanticModel(tree);
            foreach (var node in (await tree.GetRootAsync(cancellationToken).ConfigureAwait(false)).DescendantNodes())
            {
                switch (node)
                {
                    case BaseObjectCreationExpressionSyntax creation when SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(creation, cancellationToken).Type, type):
                        return ContainerLifetime.None;
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: GenericNameSyntax { TypeArgumentList.Arguments: { Count: > 0 } typeArguments } name } } invocation
                        when name.Identifier.ValueText.StartsWith("Add", System.StringComparison.Ordinal)
                            && SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(typeArguments[typeArguments.Count - 1], cancellationToken).Type, type)
                            && model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { IsExtensionMethod: true } method
                            && (method.ReducedFrom ?? method).Parameters.FirstOrDefault()?.Type.Name == "IServiceCollection":
                        if (invocation.ArgumentList.Arguments.Count > 0 && name.Identifier.ValueText != "AddHttpClient")
                        {
                            return ContainerLifetime.None; // a factory or an instance: the container does not call the constructor
                        }

                        var registered = name.Identifier.ValueText is "AddSingleton" or "AddHostedService" ? ContainerLifetime.Singleton
                            : name.Identifier.ValueText is "AddScoped" or "AddTransient" or "AddHttpClient" ? ContainerLifetime.PerRequest
                            : ContainerLifetime.None;
                        if (registered == ContainerLifetime.None || (lifetime != ContainerLifetime.None && lifetime != registered))
                        {
                            return ContainerLifetime.None; // unknown or conflicting registrations: do not guess
                        }

                        lifetime = registered;
                        break;
                }
            }
        }

        return lifetime;
    }

    /// <summary>
    /// Adds <c>private readonly {typeName} {fieldName};</c> and a constructor parameter that assigns it: to every
    /// constructor that does not chain to another, to the primary constructor, or to a new constructor when there is none.
    /// </summary>
    public static SyntaxNode AddConstructorDependency(SyntaxNode root, TypeDeclarationSyntax type, string typeName, string fieldName, string parameterName)
    {
        var parameter = Parameter(Identifier(parameterName)).WithType(ParseTypeName(typeName).WithTrailingTrivia(Space));
        var members = type.Members;
        if (type.ParameterList is { } primary)
        {
            // Primary constructor: a parameter, captured by the field initializer.
            var initialized = ParseMemberDeclaration($"private readonly {typeName} {fieldName} = {parameterName};")!;
            var withParameter = type.WithParameterList(primary.AddParameters(primary.Parameters.Count == 0 ? parameter : parameter.WithLeadingTrivia(Space)));
            return root.ReplaceNode(type, Members.InsertFirst(withParameter, initialized));
        }

        var field = ParseMemberDeclaration($"private readonly {typeName} {fieldName};")!;
        var constructors = members.OfType<ConstructorDeclarationSyntax>().Where(c => !c.Modifiers.Any(SyntaxKind.StaticKeyword)).ToList();
        if (constructors.Count == 0)
        {
            var indentation = Members.Indentation(members.FirstOrDefault() ?? (SyntaxNode)type);
            var eol = Members.EndOfLine(type);
            var inner = indentation.ToString() + "    ";
            var constructor = ParseMemberDeclaration(
                $"public {type.Identifier.ValueText}({typeName} {parameterName}){eol}{indentation}{{{eol}{inner}{fieldName} = {parameterName};{eol}{indentation}}}")!;
            var withConstructor = Members.InsertFirst(type, constructor, forceBlankLine: true);
            return root.ReplaceNode(type, Members.InsertFirst(withConstructor, field));
        }

        var updated = type.ReplaceNodes(constructors, (original, _) =>
        {
            if (original.Initializer is { ThisOrBaseKeyword.RawKind: (int)SyntaxKind.ThisKeyword })
            {
                return original; // chains to a constructor that assigns the field
            }

            var parameters = original.ParameterList.AddParameters(original.ParameterList.Parameters.Count == 0 ? parameter : parameter.WithLeadingTrivia(Space));
            if (original.Body is null)
            {
                if (original.ExpressionBody is not { } arrow)
                {
                    return original;
                }

                // `Ctor(T x) => _x = x;` becomes a block body that also assigns the new field.
                var eol = Members.EndOfLine(original);
                var indentation = Members.Indentation(original).ToString();
                var block = (BlockSyntax)ParseStatement($"{{{eol}{indentation}    {arrow.Expression.WithoutTrivia()};{eol}{indentation}    {fieldName} = {parameterName};{eol}{indentation}}}");
                return original.WithParameterList(parameters.WithTrailingTrivia(eol)).WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(block.WithLeadingTrivia(Whitespace(indentation)).WithTrailingTrivia(original.SemicolonToken.TrailingTrivia));
            }

            var last = original.Body.Statements.LastOrDefault();
            var assignment = ParseStatement($"{fieldName} = {parameterName};")
                .WithLeadingTrivia(last is null ? Whitespace(Members.Indentation(original).ToString() + "    ") : Members.Indentation(last))
                .WithTrailingTrivia(Members.EndOfLine(original));
            return original.WithParameterList(parameters).WithBody(original.Body.AddStatements(assignment));
        });
        return root.ReplaceNode(type, Members.InsertFirst(updated, field));
    }
}
