using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace PerfAnalyzers.Core;

internal static class SymbolExtensions
{
    public static bool InheritsFromOrEquals(this ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    public static bool Implements(this ITypeSymbol? type, INamedTypeSymbol? interfaceType)
    {
        if (type is null || interfaceType is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, interfaceType))
        {
            return true;
        }

        foreach (var candidate in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, interfaceType))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsType(this ITypeSymbol? type, INamedTypeSymbol? expected)
        => type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

    /// <summary>True for the method itself or any method it overrides declared on <paramref name="type"/>.</summary>
    public static bool IsDeclaredOnOrOverrides(this IMethodSymbol method, INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        for (var current = method; current is not null; current = current.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(current.ContainingType?.OriginalDefinition, type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A short, readable name for messages: <c>DbSet&lt;User&gt;.FindAsync</c>, <c>UserRepository.GetByIdAsync</c>.</summary>
    public static string ToMessageName(this IMethodSymbol method, ITypeSymbol? receiverType = null)
    {
        var type = receiverType ?? (ITypeSymbol?)method.ContainingType;
        var typeName = type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "?";
        return typeName + "." + method.Name;
    }

    /// <summary>The assembly's public types, nested public types of public types included.</summary>
    public static IEnumerable<INamedTypeSymbol> PublicTypes(this IAssemblySymbol assembly)
    {
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (current is INamespaceSymbol ns)
            {
                foreach (var member in ns.GetNamespaceMembers())
                {
                    pending.Push(member);
                }
            }

            foreach (var type in current.GetTypeMembers())
            {
                if (type.DeclaredAccessibility == Accessibility.Public)
                {
                    pending.Push(type);
                    yield return type;
                }
            }
        }
    }
}
