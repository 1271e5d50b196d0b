using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PerfAnalyzers.Core;

/// <summary>
/// The EF Core model as the code declares it: primary keys, and which navigation a foreign key belongs to —
/// by convention (<c>AuthorId</c> + <c>Author</c>), <c>[ForeignKey]</c>, or <c>HasOne/WithMany/HasForeignKey</c>
/// in <c>OnModelCreating</c>. Answers only what the code states unambiguously; otherwise null.
/// </summary>
internal static class EfModel
{
    public static IPropertySymbol? GetPrimaryKey(ITypeSymbol entity)
    {
        var properties = GetProperties(entity).ToList();
        var keyed = properties.Where(p => p.GetAttributes().Any(a => a.AttributeClass?.Name == "KeyAttribute")).ToList();
        if (keyed.Count == 1)
        {
            return keyed[0];
        }

        if (keyed.Count > 1)
        {
            return null;
        }

        return properties.FirstOrDefault(p => p.Name == "Id") ?? properties.FirstOrDefault(p => p.Name == entity.Name + "Id");
    }

    /// <summary>The reference navigation on <paramref name="dependent"/> that <paramref name="foreignKey"/> points through to <paramref name="principal"/>.</summary>
    public static IPropertySymbol? FindReferenceNavigation(INamedTypeSymbol dependent, IPropertySymbol foreignKey, ITypeSymbol principal, Compilation compilation, CancellationToken cancellationToken)
    {
        var candidates = GetProperties(dependent)
            .Where(p => SymbolEqualityComparer.Default.Equals(p.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), principal.WithNullableAnnotation(NullableAnnotation.NotAnnotated)))
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        // [ForeignKey] on either side.
        foreach (var navigation in candidates)
        {
            if (ForeignKeyAttributeName(navigation) is { } named)
            {
                if (named == foreignKey.Name)
                {
                    return navigation;
                }

                continue;
            }
        }

        if (ForeignKeyAttributeName(foreignKey) is { } navigationName)
        {
            return candidates.FirstOrDefault(n => n.Name == navigationName);
        }

        // Fluent configuration.
        var fluent = FindFluentNavigation(dependent, foreignKey, compilation, cancellationToken);
        if (fluent is not null)
        {
            return candidates.FirstOrDefault(n => n.Name == fluent);
        }

        // Convention: navigation name + key name, or navigation name + "Id".
        var principalKey = GetPrimaryKey(principal)?.Name ?? "Id";
        var byConvention = candidates.Where(n => ForeignKeyAttributeName(n) is null && (foreignKey.Name == n.Name + "Id" || foreignKey.Name == n.Name + principalKey)).ToList();
        return byConvention.Count == 1 ? byConvention[0] : null;
    }

    /// <summary>The collection navigation on <paramref name="principal"/> whose elements (<paramref name="dependent"/>) point back with <paramref name="foreignKey"/>.</summary>
    public static IPropertySymbol? FindCollectionNavigation(INamedTypeSymbol principal, INamedTypeSymbol dependent, IPropertySymbol foreignKey)
    {
        var collections = GetProperties(principal)
            .Where(p => p.Type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } t && SymbolEqualityComparer.Default.Equals(t.TypeArguments[0], dependent) && t.AllInterfaces.Concat(new[] { t }).Any(i => i.Name == "IEnumerable"))
            .ToList();
        if (collections.Count != 1)
        {
            return null;
        }

        // The dependent's foreign key must point at the principal: by [ForeignKey], or by convention.
        var inverse = GetProperties(dependent).Where(p => SymbolEqualityComparer.Default.Equals(p.Type, principal)).ToList();
        var principalKey = GetPrimaryKey(principal)?.Name ?? "Id";
        var matches = foreignKey.Name == principal.Name + "Id" || foreignKey.Name == principal.Name + principalKey
            || inverse.Any(n => ForeignKeyAttributeName(n) == foreignKey.Name || foreignKey.Name == n.Name + "Id" || foreignKey.Name == n.Name + principalKey);
        return matches ? collections[0] : null;
    }

    private static IEnumerable<IPropertySymbol> GetProperties(ITypeSymbol type)
    {
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public } property)
                {
                    yield return property;
                }
            }
        }
    }

    private static string? ForeignKeyAttributeName(IPropertySymbol property)
    {
        foreach (var attribute in property.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == "ForeignKeyAttribute" && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary><c>modelBuilder.Entity&lt;Post&gt;().HasOne(p => p.Author).WithMany(..).HasForeignKey(p => p.AuthorId)</c> → "Author".</summary>
    private static string? FindFluentNavigation(INamedTypeSymbol dependent, IPropertySymbol foreignKey, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var root = tree.GetRoot(cancellationToken);
            foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (method.Identifier.ValueText != "OnModelCreating" && method.Identifier.ValueText != "Configure")
                {
                    continue;
                }

                foreach (var invocation in method.DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (invocation.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "HasForeignKey" } hasForeignKey
                        || LambdaMember(invocation) != foreignKey.Name)
                    {
                        continue;
                    }

                    // Walk back along the chain to HasOne(x => x.Nav) and Entity<T>().
                    string? navigation = null;
                    var entityMatches = method.Identifier.ValueText == "Configure" && method.ParameterList.Parameters.FirstOrDefault()?.Type?.ToString().Contains(dependent.Name) == true;
                    for (ExpressionSyntax? current = hasForeignKey.Expression; current is InvocationExpressionSyntax step; current = (step.Expression as MemberAccessExpressionSyntax)?.Expression)
                    {
                        var name = (step.Expression as MemberAccessExpressionSyntax)?.Name;
                        if (name?.Identifier.ValueText == "HasOne")
                        {
                            navigation = LambdaMember(step);
                        }
                        else if (name is GenericNameSyntax { Identifier.ValueText: "Entity" } generic && generic.TypeArgumentList.Arguments.Count == 1)
                        {
                            entityMatches = generic.TypeArgumentList.Arguments[0].ToString().EndsWith(dependent.Name, StringComparison.Ordinal);
                        }
                    }

                    if (navigation is not null && entityMatches)
                    {
                        return navigation;
                    }
                }
            }
        }

        return null;
    }

    private static string? LambdaMember(InvocationExpressionSyntax invocation)
        => invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression switch
        {
            SimpleLambdaExpressionSyntax { Body: MemberAccessExpressionSyntax member } => member.Name.Identifier.ValueText,
            ParenthesizedLambdaExpressionSyntax { Body: MemberAccessExpressionSyntax member } => member.Name.Identifier.ValueText,
            _ => null,
        };
}
