using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace PerfAnalyzers.Core;

/// <summary>
/// The source classes and structs of a compilation that derive from or implement a type, in declaration order
/// (file path, then position).
/// <para>
/// For a type declared in this compilation, every type between a subtype and it is declared here too, so the
/// question is answered from syntax first: each tree's type declarations are indexed once by the simple names in
/// their base lists (cached per <see cref="SyntaxTree"/>, which the IDE reuses across compilations, so after an edit
/// only the edited tree is read again), and only the declarations whose base list can name the type, transitively,
/// are bound. The cost of a question then depends on the type's subtypes, not on the size of the solution.
/// </para>
/// <para>
/// Subtypes of a referenced (metadata) type can go through other referenced types, which syntax cannot see; those
/// questions use a whole-compilation index of every source type's base types, built once per compilation.
/// </para>
/// </summary>
internal sealed class SubtypeIndex
{
    private static readonly ConditionalWeakTable<SyntaxTree, TreeDeclarations> Trees = new();

    private readonly Compilation _compilation;
    private readonly Func<SyntaxTree, SemanticModel> _getModel;
    private readonly Lazy<CompilationDeclarations> _declarations;
    private readonly Lazy<Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>> _allSubtypes;
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> _subtypes = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<string, Lazy<Dictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>>> _sourceSubtypesByName = new(StringComparer.Ordinal);

    public SubtypeIndex(Compilation compilation, Func<SyntaxTree, SemanticModel> getModel)
    {
        _compilation = compilation;
        _getModel = getModel;
        _declarations = new Lazy<CompilationDeclarations>(() => new CompilationDeclarations(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
        _allSubtypes = new Lazy<Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>>(IndexAllSubtypes, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Source classes and structs deriving from or implementing <paramref name="type"/>, in declaration order.</summary>
    public ImmutableArray<INamedTypeSymbol> SubtypesOf(INamedTypeSymbol type)
        => _subtypes.GetOrAdd(type.OriginalDefinition, Find);

    /// <summary>
    /// The simple names of the source types whose base list names <paramref name="typeName"/>, transitively, from syntax
    /// alone (nothing bound): a superset of the subtypes' names, for syntax gates.
    /// </summary>
    public IEnumerable<string> CandidateSubtypeNames(string typeName)
    {
        foreach (var candidate in _declarations.Value.CandidatesDerivingFrom(typeName))
        {
            var node = candidate.Tree.GetRoot().FindNode(candidate.Span, getInnermostNodeForTie: true);
            if (node.AncestorsAndSelf().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault() is { } declaration)
            {
                yield return declaration.Identifier.ValueText;
            }
        }
    }

    private ImmutableArray<INamedTypeSymbol> Find(INamedTypeSymbol type)
    {
        if (!SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, _compilation.Assembly))
        {
            return _allSubtypes.Value.TryGetValue(type, out var list) ? list.ToImmutableArray() : ImmutableArray<INamedTypeSymbol>.Empty;
        }

        var byType = _sourceSubtypesByName.GetOrAdd(type.Name, name => new Lazy<Dictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>>(() => IndexSubtypesNamed(name), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        return byType.TryGetValue(type, out var subtypes) ? subtypes : ImmutableArray<INamedTypeSymbol>.Empty;
    }

    /// <summary>
    /// The subtypes of every source type with this simple name, from one binding of the candidates: a solution where
    /// every module declares its own <c>IOrderRepository</c> would otherwise bind all of them once per module's question.
    /// </summary>
    private Dictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> IndexSubtypesNamed(string name)
    {
        var found = new Dictionary<INamedTypeSymbol, HashSet<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
        void Add(INamedTypeSymbol ancestor, INamedTypeSymbol subtype)
        {
            if (ancestor.Name != name)
            {
                return;
            }

            if (!found.TryGetValue(ancestor.OriginalDefinition, out var set))
            {
                found[ancestor.OriginalDefinition] = set = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            }

            set.Add(subtype);
        }

        foreach (var candidate in _declarations.Value.CandidatesDerivingFrom(name))
        {
            if (ResolveDeclaration(candidate) is not { TypeKind: TypeKind.Class or TypeKind.Struct } declared)
            {
                continue;
            }

            foreach (var implemented in declared.AllInterfaces)
            {
                Add(implemented, declared);
            }

            for (var baseType = declared.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
            {
                Add(baseType, declared);
            }
        }

        var result = new Dictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
        foreach (var pair in found)
        {
            result[pair.Key] = InDeclarationOrder(pair.Value).ToImmutableArray();
        }

        return result;
    }

    private INamedTypeSymbol? ResolveDeclaration(DeclarationReference reference)
    {
        var node = reference.Tree.GetRoot().FindNode(reference.Span, getInnermostNodeForTie: true);
        var declaration = node.AncestorsAndSelf().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault();
        return declaration is null ? null : _getModel(reference.Tree).GetDeclaredSymbol(declaration) as INamedTypeSymbol;
    }

    private static IEnumerable<INamedTypeSymbol> InDeclarationOrder(IEnumerable<INamedTypeSymbol> types)
        => types.OrderBy(t => t.Locations.FirstOrDefault()?.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(t => t.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0);

    /// <summary>Base type or interface → the source types deriving from or implementing it, in one pass over every source type.</summary>
    private Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>> IndexAllSubtypes()
    {
        var index = new Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
        void Add(INamedTypeSymbol key, INamedTypeSymbol type)
        {
            if (!index.TryGetValue(key, out var list))
            {
                list = new List<INamedTypeSymbol>();
                index.Add(key, list);
            }

            list.Add(type);
        }

        foreach (var type in InDeclarationOrder(CollectSourceTypes()))
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                continue;
            }

            foreach (var implemented in type.AllInterfaces)
            {
                Add(implemented.OriginalDefinition, type);
            }

            for (var baseType = type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
            {
                Add(baseType.OriginalDefinition, type);
            }
        }

        return index;
    }

    private List<INamedTypeSymbol> CollectSourceTypes()
    {
        var types = new List<INamedTypeSymbol>();
        var namespaces = new Stack<INamespaceSymbol>();
        var nested = new Stack<INamedTypeSymbol>();
        namespaces.Push(_compilation.Assembly.GlobalNamespace);
        while (namespaces.Count > 0)
        {
            var current = namespaces.Pop();
            foreach (var ns in current.GetNamespaceMembers())
            {
                namespaces.Push(ns);
            }

            foreach (var type in current.GetTypeMembers())
            {
                nested.Push(type);
            }
        }

        while (nested.Count > 0)
        {
            var type = nested.Pop();
            types.Add(type);
            foreach (var member in type.GetTypeMembers())
            {
                nested.Push(member);
            }
        }

        return types;
    }

    /// <summary>A type declaration, found again from its tree and span when it becomes a candidate.</summary>
    private readonly struct DeclarationReference
    {
        public DeclarationReference(SyntaxTree tree, TextSpan span)
        {
            Tree = tree;
            Span = span;
        }

        public SyntaxTree Tree { get; }

        public TextSpan Span { get; }
    }

    /// <summary>The type declarations of one tree with the simple names their base lists mention, and its using aliases.</summary>
    private sealed class TreeDeclarations
    {
        public TreeDeclarations(SyntaxTree tree)
        {
            var declarations = new List<(string Name, TextSpan Span, string[] BaseNames)>();
            var aliases = new List<(string Alias, string Target)>();
            var pending = new Stack<SyntaxNode>();
            pending.Push(tree.GetRoot());
            while (pending.Count > 0)
            {
                var node = pending.Pop();
                foreach (var child in node.ChildNodes())
                {
                    switch (child)
                    {
                        case UsingDirectiveSyntax { Alias: { } alias, NamespaceOrType: { } target }:
                            aliases.Add((alias.Name.Identifier.ValueText, SimpleName(target)));
                            break;
                        case BaseNamespaceDeclarationSyntax:
                            pending.Push(child);
                            break;
                        case TypeDeclarationSyntax typeDeclaration:
                            if (typeDeclaration.BaseList is { } baseList)
                            {
                                declarations.Add((typeDeclaration.Identifier.ValueText, typeDeclaration.Span, baseList.Types.Select(t => SimpleName(t.Type)).ToArray()));
                            }

                            pending.Push(child);
                            break;
                    }
                }
            }

            Declarations = declarations;
            Aliases = aliases;
        }

        public IReadOnlyList<(string Name, TextSpan Span, string[] BaseNames)> Declarations { get; }

        public IReadOnlyList<(string Alias, string Target)> Aliases { get; }

        private static string SimpleName(TypeSyntax type) => BodySyntax.RightmostName(type) ?? "";
    }

    /// <summary>Per compilation: base-list name → declarations mentioning it, merged from the per-tree indexes.</summary>
    private sealed class CompilationDeclarations
    {
        private readonly Dictionary<string, List<(string Name, DeclarationReference Reference)>> _byBaseName = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _aliasesByTarget = new(StringComparer.Ordinal);

        public CompilationDeclarations(Compilation compilation)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                var declarations = Trees.GetValue(tree, static t => new TreeDeclarations(t));
                foreach (var (name, span, baseNames) in declarations.Declarations)
                {
                    foreach (var baseName in baseNames)
                    {
                        if (!_byBaseName.TryGetValue(baseName, out var list))
                        {
                            list = new List<(string, DeclarationReference)>();
                            _byBaseName.Add(baseName, list);
                        }

                        list.Add((name, new DeclarationReference(tree, span)));
                    }
                }

                foreach (var (alias, target) in declarations.Aliases)
                {
                    if (!_aliasesByTarget.TryGetValue(target, out var list))
                    {
                        list = new List<string>();
                        _aliasesByTarget.Add(target, list);
                    }

                    list.Add(alias);
                }
            }
        }

        /// <summary>
        /// Declarations whose base list mentions the name, an alias of it, or (transitively) the name of such a
        /// declaration: a superset of the subtypes, which the caller confirms by binding.
        /// </summary>
        public IEnumerable<DeclarationReference> CandidatesDerivingFrom(string name)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var seen = new HashSet<(SyntaxTree, TextSpan)>();
            var pending = new Stack<string>();
            pending.Push(name);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                if (!names.Add(current))
                {
                    continue;
                }

                if (_aliasesByTarget.TryGetValue(current, out var aliases))
                {
                    foreach (var alias in aliases)
                    {
                        pending.Push(alias);
                    }
                }

                if (!_byBaseName.TryGetValue(current, out var declarations))
                {
                    continue;
                }

                foreach (var (declaredName, reference) in declarations)
                {
                    if (seen.Add((reference.Tree, reference.Span)))
                    {
                        yield return reference;
                    }

                    pending.Push(declaredName);
                }
            }
        }
    }
}
