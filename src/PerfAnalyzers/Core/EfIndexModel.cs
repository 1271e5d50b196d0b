using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PerfAnalyzers.Core;

/// <summary>Where an index for an entity is best declared.</summary>
internal enum IndexDeclarationStyle
{
    /// <summary><c>[Index(nameof(Prop))]</c> on the entity class.</summary>
    Attribute,
    /// <summary><c>builder.HasIndex(...)</c> in the entity's <c>IEntityTypeConfiguration&lt;T&gt;.Configure</c>.</summary>
    EntityConfiguration,
    /// <summary><c>modelBuilder.Entity&lt;T&gt;().HasIndex(...)</c> in <c>OnModelCreating</c>.</summary>
    OnModelCreating,
}

/// <summary>What the source declares about one entity type's indexes.</summary>
internal sealed class EntityIndexFacts
{
    public EntityIndexFacts(INamedTypeSymbol entity, ImmutableHashSet<string> indexedLeadingColumns, ImmutableHashSet<string> shadowProperties, bool isNarrowedByQueryFilter, IndexDeclarationStyle style, SyntaxReference? declarationSite)
    {
        EntityName = entity.Name;
        EntityFullName = entity.OriginalDefinition.ToDisplayString();
        IndexedLeadingColumns = indexedLeadingColumns;
        ShadowProperties = shadowProperties;
        IsNarrowedByQueryFilter = isNarrowedByQueryFilter;
        Style = style;
        DeclarationSite = declarationSite;
    }

    /// <summary>The entity's simple name. Names, not symbols: the model outlives the compilation it was read from.</summary>
    public string EntityName { get; }

    /// <summary>The entity's fully qualified name.</summary>
    public string EntityFullName { get; }

    /// <summary>Properties a lookup can seek on: keys, foreign keys, and the leading column of every index or alternate key.</summary>
    public ImmutableHashSet<string> IndexedLeadingColumns { get; }

    /// <summary>Shadow properties the model declares (<c>Property&lt;DateTime&gt;("LastUpdated")</c>): columns without a CLR property.</summary>
    public ImmutableHashSet<string> ShadowProperties { get; }

    /// <summary>
    /// A global query filter (<c>HasQueryFilter(e =&gt; e.TenantId == _tenant)</c>) AND-s an indexed column into every query,
    /// or cannot be read: each query is narrowed by it first.
    /// </summary>
    public bool IsNarrowedByQueryFilter { get; }

    public IndexDeclarationStyle Style { get; }

    /// <summary>The class (attribute style), the Configure method or the OnModelCreating method a new index goes into.</summary>
    public SyntaxReference? DeclarationSite { get; }
}

/// <summary>
/// The EF Core indexes the compilation declares: keys, foreign keys (by convention, <c>[ForeignKey]</c> and fluent
/// <c>HasForeignKey</c>), <c>[Index]</c>/<c>[PrimaryKey]</c> attributes and <c>HasIndex</c>/<c>HasKey</c>/<c>HasAlternateKey</c>
/// in <c>OnModelCreating</c> and <c>IEntityTypeConfiguration&lt;T&gt;</c>. Built once per compilation on first use.
/// When any part of the model is configured in a way this cannot read, it answers nothing (<see cref="IsFullyVisible"/>).
/// </summary>
internal sealed class EfIndexModel
{
    private static readonly ConditionalWeakTable<Compilation, EfIndexModel> Cache = new();

    /// <summary>The last model read from a compilation containing the tree (see <see cref="TryReuse"/>).</summary>
    private static readonly ConditionalWeakTable<SyntaxTree, EfIndexModel> ByTree = new();

    /// <summary>Identifiers whose appearance in an edited tree can change the model.</summary>
    private static readonly ImmutableHashSet<string> ModelWords = ImmutableHashSet.Create(
        StringComparer.Ordinal, "DbContext", "ModelBuilder", "EntityTypeBuilder", "IEntityTypeConfiguration", "OwnedNavigationBuilder", "ReferenceNavigationBuilder", "CollectionNavigationBuilder");

    private static readonly ImmutableHashSet<string> IndexingCalls = ImmutableHashSet.Create(StringComparer.Ordinal, "HasIndex", "HasKey", "HasAlternateKey", "HasForeignKey", "HasPrincipalKey");

    // Metadata-API and bulk configuration calls: the model is then shaped by code this cannot follow.
    private static readonly ImmutableHashSet<string> OpaqueCalls = ImmutableHashSet.Create(
        StringComparer.Ordinal, "AddIndex", "AddKey", "SetPrimaryKey", "AddForeignKey", "GetEntityTypes", "Entity", "SharedTypeEntity", "ToSqlQuery", "ToFunction");

    private readonly Dictionary<string, EntityIndexFacts> _entities;
    private readonly HashSet<SyntaxTree> _trees;
    private readonly ImmutableArray<MetadataReference> _references;
    private readonly ImmutableHashSet<string> _declaredNames;

    private EfIndexModel(bool isFullyVisible, Dictionary<INamedTypeSymbol, EntityIndexFacts> entities, Compilation compilation, ImmutableHashSet<string> declaredNames)
    {
        IsFullyVisible = isFullyVisible;
        _entities = new Dictionary<string, EntityIndexFacts>(StringComparer.Ordinal);
        var unindexed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in entities)
        {
            var facts = pair.Value;
            _entities[facts.EntityFullName] = facts;
            for (ITypeSymbol? type = pair.Key; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
            {
                foreach (var member in type.GetMembers())
                {
                    if (member is IPropertySymbol && !facts.IndexedLeadingColumns.Contains(member.Name))
                    {
                        unindexed.Add(member.Name);
                    }
                }
            }

            foreach (var shadow in facts.ShadowProperties)
            {
                if (!facts.IndexedLeadingColumns.Contains(shadow))
                {
                    unindexed.Add(shadow);
                }
            }
        }

        if (!isFullyVisible)
        {
            unindexed.Clear();
        }

        UnindexedColumnNames = unindexed;

        _trees = new HashSet<SyntaxTree>(compilation.SyntaxTrees);
        _references = compilation.References.ToImmutableArray();
        _declaredNames = declaredNames;
    }

    public bool IsFullyVisible { get; }

    /// <summary>
    /// The names of the entity properties (and declared shadow properties) that some entity does not lead an index
    /// with: the only names PERF006 can report a filter on (for its syntax gate). Empty when the model is not fully visible.
    /// </summary>
    public HashSet<string> UnindexedColumnNames { get; } // read only: a HashSet for fast lookups

    /// <summary>
    /// The model of the compilation. Reading it binds every context's configuration, so in the IDE, where every edit
    /// makes a new compilation, the last model is reused while the edits touch no tree that could change it.
    /// </summary>
    public static EfIndexModel Get(Compilation compilation, CancellationToken cancellationToken)
        => Cache.TryGetValue(compilation, out var cached) ? cached : Cache.GetValue(compilation, c => TryReuse(c, cancellationToken) ?? Remember(Build(c, cancellationToken), c));

    /// <summary>The facts for an entity whose whole model is in source and that maps to a keyed, non-owned table; otherwise null.</summary>
    public EntityIndexFacts? For(ITypeSymbol entity)
        => IsFullyVisible && entity is INamedTypeSymbol named && _entities.TryGetValue(named.OriginalDefinition.ToDisplayString(), out var facts) ? facts : null;

    private static EfIndexModel Remember(EfIndexModel model, Compilation compilation)
    {
        lock (ByTree)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                ByTree.Remove(tree);
                ByTree.Add(tree, model);
            }
        }

        return model;
    }

    /// <summary>
    /// The previous model, when the compilation has the same references and differs from its compilation only in trees
    /// that declare none of the types the model was read from (contexts, configurations, entities and the types they
    /// use) and name none of EF Core's model-building types.
    /// </summary>
    private static EfIndexModel? TryReuse(Compilation compilation, CancellationToken cancellationToken)
    {
        EfIndexModel? previous = null;
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (ByTree.TryGetValue(tree, out previous))
            {
                break;
            }
        }

        if (previous is null || !previous._references.SequenceEqual(compilation.References))
        {
            return null;
        }

        var current = new HashSet<SyntaxTree>(compilation.SyntaxTrees);
        foreach (var tree in current)
        {
            if (!previous._trees.Contains(tree) && previous.MayChange(tree, cancellationToken))
            {
                return null;
            }
        }

        foreach (var tree in previous._trees)
        {
            if (!current.Contains(tree) && previous.MayChange(tree, cancellationToken))
            {
                return null;
            }
        }

        return previous;
    }

    private bool MayChange(SyntaxTree tree, CancellationToken cancellationToken)
    {
        foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax or BaseListSyntax or SimpleBaseTypeSyntax or TypeArgumentListSyntax or QualifiedNameSyntax or GenericNameSyntax))
        {
            switch (node)
            {
                case BaseTypeDeclarationSyntax declaration when _declaredNames.Contains(declaration.Identifier.ValueText):
                    return true;
                case SimpleNameSyntax name when _declaredNames.Contains(name.Identifier.ValueText):
                    return true;
            }
        }

        // EF Core's model-building types anywhere, bodies included (helpers are extension methods on ModelBuilder).
        foreach (var token in tree.GetRoot(cancellationToken).DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && ModelWords.Contains(token.ValueText))
            {
                return true;
            }
        }

        return false;
    }

    private static EfIndexModel Build(Compilation compilation, CancellationToken cancellationToken)
    {
        var dbContext = compilation.GetTypeByMetadataName("Microsoft.EntityFrameworkCore.DbContext");
        var dbSet = compilation.GetTypeByMetadataName("Microsoft.EntityFrameworkCore.DbSet`1");
        var configurationInterface = compilation.GetTypeByMetadataName("Microsoft.EntityFrameworkCore.IEntityTypeConfiguration`1");
        var declaredNames = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var empty = new EfIndexModel(false, new Dictionary<INamedTypeSymbol, EntityIndexFacts>(SymbolEqualityComparer.Default), compilation, declaredNames.ToImmutable());
        if (dbContext is null || dbSet is null)
        {
            return empty;
        }

        // Contexts and configurations come from the shared subtype index (built once per compilation for every rule);
        // each declaration part is read, so a partial context's OnModelCreating in another file is seen.
        var builder = new ModelReader(compilation, cancellationToken);
        var subtypes = PerfCompilationContext.For(compilation).RoundTrips.Summaries;
        foreach (var type in subtypes.SubtypesOf(dbContext))
        {
            AddDeclaredNames(type);
            // A base context from another assembly may configure the model where this cannot see it.
            if (type.BaseType is { } baseType && !SymbolEqualityComparer.Default.Equals(baseType, dbContext) && !baseType.Locations.Any(l => l.IsInSource))
            {
                builder.IsOpaque = true;
            }

            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.Type is INamedTypeSymbol { IsGenericType: true } setType && SymbolEqualityComparer.Default.Equals(setType.OriginalDefinition, dbSet) && setType.TypeArguments[0] is INamedTypeSymbol entity)
                {
                    builder.Entities.Add(entity.OriginalDefinition);
                }
            }

            ReadMethods(type, "OnModelCreating", configuredEntity: null);
        }

        if (configurationInterface is not null)
        {
            foreach (var type in subtypes.SubtypesOf(configurationInterface))
            {
                foreach (var implemented in type.AllInterfaces)
                {
                    if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, configurationInterface) && implemented.TypeArguments[0] is INamedTypeSymbol configured)
                    {
                        AddDeclaredNames(type);
                        builder.Entities.Add(configured.OriginalDefinition);
                        ReadMethods(type, "Configure", configured.OriginalDefinition);
                    }
                }
            }
        }

        void ReadMethods(INamedTypeSymbol type, string name, INamedTypeSymbol? configuredEntity)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
                {
                    continue;
                }

                var semanticModel = compilation.GetSemanticModel(declaration.SyntaxTree);
                foreach (var method in declaration.Members.OfType<MethodDeclarationSyntax>().Where(m => m.Identifier.ValueText == name))
                {
                    builder.ReadConfiguration(method, semanticModel, configuredEntity);
                }
            }
        }

        if (builder.IsOpaque)
        {
            return empty;
        }

        var facts = builder.Finish();
        foreach (var entity in builder.Entities)
        {
            AddDeclaredNames(entity);
            foreach (var property in entity.GetMembers().OfType<IPropertySymbol>())
            {
                AddUsedType(property.Type);
            }
        }

        return new EfIndexModel(true, facts, compilation, declaredNames.ToImmutable());

        // The source types the model was read from, with their source base types: an edit declaring one may change it.
        void AddDeclaredNames(INamedTypeSymbol type)
        {
            for (var current = type; current is not null && current.Locations.Any(l => l.IsInSource); current = current.BaseType)
            {
                declaredNames.Add(current.Name);
            }
        }

        void AddUsedType(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol array)
            {
                AddUsedType(array.ElementType);
            }
            else if (type is INamedTypeSymbol named)
            {
                if (named.Locations.Any(l => l.IsInSource))
                {
                    AddDeclaredNames(named);
                }

                foreach (var argument in named.TypeArguments)
                {
                    if (argument is INamedTypeSymbol { Locations: var locations } argumentType && locations.Any(l => l.IsInSource))
                    {
                        AddDeclaredNames(argumentType);
                    }
                }
            }
        }
    }

    private sealed class ModelReader
    {
        private readonly Compilation _compilation;
        private readonly CancellationToken _cancellationToken;
        private readonly Dictionary<INamedTypeSymbol, HashSet<string>> _fluentColumns = new(SymbolEqualityComparer.Default);
        private readonly HashSet<INamedTypeSymbol> _unmapped = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<INamedTypeSymbol, SyntaxReference> _configureMethods = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<INamedTypeSymbol, SyntaxReference> _onModelCreatingIndexes = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<INamedTypeSymbol, HashSet<string>> _shadowProperties = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<INamedTypeSymbol, HashSet<string>> _queryFilterColumns = new(SymbolEqualityComparer.Default);
        private readonly HashSet<INamedTypeSymbol> _unreadableQueryFilters = new(SymbolEqualityComparer.Default);
        private readonly HashSet<IMethodSymbol> _helpersRead = new(SymbolEqualityComparer.Default);

        public ModelReader(Compilation compilation, CancellationToken cancellationToken)
        {
            _compilation = compilation;
            _cancellationToken = cancellationToken;
        }

        public bool IsOpaque { get; set; }

        public HashSet<INamedTypeSymbol> Entities { get; } = new(SymbolEqualityComparer.Default);

        public void ReadConfiguration(MethodDeclarationSyntax method, SemanticModel semanticModel, INamedTypeSymbol? configuredEntity, bool isHelper = false)
        {
            if (configuredEntity is not null && !isHelper)
            {
                _configureMethods[configuredEntity] = method.GetReference();
            }

            var declaringType = semanticModel.GetDeclaredSymbol(method, _cancellationToken)?.ContainingType;

            foreach (var invocation in method.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (semanticModel.GetSymbolInfo(invocation, _cancellationToken).Symbol is not IMethodSymbol called)
                {
                    // Unbound calls (incomplete code, dynamic) may configure anything.
                    IsOpaque = true;
                    return;
                }

                var isEfBuilderCall = called.ContainingNamespace?.ToDisplayString() is { } ns && ns.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal);
                if (!isEfBuilderCall)
                {
                    // base.OnModelCreating of a context declared in source is read on its own.
                    if (called.Name == "OnModelCreating" && called.Locations.Any(l => l.IsInSource))
                    {
                        continue;
                    }

                    // A method of the same class (a scaffolded OnModelCreatingPartial in another part, a private
                    // ConfigureOrders(modelBuilder)) is read where it is declared.
                    if (declaringType is not null && SymbolEqualityComparer.Default.Equals(called.ContainingType?.OriginalDefinition, declaringType.OriginalDefinition))
                    {
                        ReadHelper(called, configuredEntity);
                        if (IsOpaque)
                        {
                            return;
                        }

                        continue;
                    }

                    // A helper handed a builder, as an argument or as the receiver of an extension method, configures the model out of sight.
                    if (invocation.ArgumentList.Arguments.Any(a => IsEfBuilder(semanticModel.GetTypeInfo(a.Expression, _cancellationToken).Type))
                        || (invocation.Expression is MemberAccessExpressionSyntax receiver && IsEfBuilder(semanticModel.GetTypeInfo(receiver.Expression, _cancellationToken).Type)))
                    {
                        IsOpaque = true;
                        return;
                    }

                    continue;
                }

                var name = called.Name;
                if (name == "Entity" && called.IsGenericMethod)
                {
                    if (called.TypeArguments[0] is INamedTypeSymbol registered)
                    {
                        Entities.Add(registered.OriginalDefinition);
                    }

                    continue;
                }

                // Configurations of this compilation's assembly are all read here; another assembly's are not visible.
                if (name == "ApplyConfigurationsFromAssembly")
                {
                    if (!IsThisAssembly(invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression, semanticModel))
                    {
                        IsOpaque = true;
                        return;
                    }

                    continue;
                }

                if (name == "HasQueryFilter")
                {
                    ReadQueryFilter(invocation, called, semanticModel);
                    continue;
                }

                if (name == "Property")
                {
                    ReadShadowProperty(invocation, called, semanticModel);
                    continue;
                }

                if (OpaqueCalls.Contains(name))
                {
                    IsOpaque = true;
                    return;
                }

                if (name == "HasNoKey")
                {
                    MarkUnmapped(EntityOfBuilder(called.ContainingType) ?? EntityOfBuilder(called.ReturnType as INamedTypeSymbol));
                    continue;
                }

                if (name is "OwnsOne" or "OwnsMany")
                {
                    MarkUnmapped(called.TypeArguments.LastOrDefault() as INamedTypeSymbol ?? (called.ReturnType as INamedTypeSymbol)?.TypeArguments.LastOrDefault() as INamedTypeSymbol);
                    continue;
                }

                if (IndexingCalls.Contains(name))
                {
                    ReadIndexingCall(invocation, called, semanticModel, method, configuredEntity);
                }
            }
        }

        private void ReadHelper(IMethodSymbol called, INamedTypeSymbol? configuredEntity)
        {
            var target = (called.PartialImplementationPart ?? called).OriginalDefinition;
            if (!_helpersRead.Add(target))
            {
                return;
            }

            foreach (var reference in target.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(_cancellationToken) is MethodDeclarationSyntax declaration && (declaration.Body is not null || declaration.ExpressionBody is not null))
                {
                    ReadConfiguration(declaration, _compilation.GetSemanticModel(declaration.SyntaxTree), configuredEntity, isHelper: true);
                }
            }
        }

        /// <summary><c>typeof(X).Assembly</c> of a type in source, <c>GetType().Assembly</c>, <c>Assembly.GetExecutingAssembly()</c>.</summary>
        private bool IsThisAssembly(ExpressionSyntax? expression, SemanticModel semanticModel)
        {
            switch (expression)
            {
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Assembly", Expression: TypeOfExpressionSyntax typeOf }:
                    return SymbolEqualityComparer.Default.Equals(semanticModel.GetTypeInfo(typeOf.Type, _cancellationToken).Type?.ContainingAssembly, _compilation.Assembly);
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Assembly", Expression: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } getType }
                    when getType.Expression is IdentifierNameSyntax { Identifier.ValueText: "GetType" } or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: "GetType" }:
                    return true;
                case InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } executing:
                    return semanticModel.GetSymbolInfo(executing, _cancellationToken).Symbol is IMethodSymbol { Name: "GetExecutingAssembly", ContainingType: { Name: "Assembly" } assemblyType }
                        && assemblyType.ContainingNamespace?.ToDisplayString() == "System.Reflection";
                default:
                    return false;
            }
        }

        /// <summary>The columns a global query filter AND-s into every query of the entity.</summary>
        private void ReadQueryFilter(InvocationExpressionSyntax invocation, IMethodSymbol called, SemanticModel semanticModel)
        {
            if (BuilderEntity(invocation, called, semanticModel) is not { } entity)
            {
                return;
            }

            entity = entity.OriginalDefinition;
            var lambda = invocation.ArgumentList.Arguments.Select(a => a.Expression).OfType<SimpleLambdaExpressionSyntax>().FirstOrDefault();
            if (lambda?.Body is not ExpressionSyntax body)
            {
                _unreadableQueryFilters.Add(entity);
                return;
            }

            if (!_queryFilterColumns.TryGetValue(entity, out var columns))
            {
                columns = new HashSet<string>(StringComparer.Ordinal);
                _queryFilterColumns[entity] = columns;
            }

            var parameter = lambda.Parameter.Identifier.ValueText;
            foreach (var conjunct in Conjuncts(body))
            {
                if (conjunct.DescendantNodesAndSelf().Any(n => n.IsKind(SyntaxKind.LogicalOrExpression)))
                {
                    continue;
                }

                foreach (var member in conjunct.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>())
                {
                    if (member.Expression is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == parameter)
                    {
                        columns.Add(member.Name.Identifier.ValueText);
                    }
                }
            }
        }

        private static IEnumerable<ExpressionSyntax> Conjuncts(ExpressionSyntax expression)
        {
            while (expression is ParenthesizedExpressionSyntax parenthesized)
            {
                expression = parenthesized.Expression;
            }

            if (expression is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.LogicalAndExpression))
            {
                return Conjuncts(binary.Left).Concat(Conjuncts(binary.Right));
            }

            return new[] { expression };
        }

        /// <summary><c>Property&lt;DateTime&gt;("LastUpdated")</c> naming no CLR property declares a shadow property.</summary>
        private void ReadShadowProperty(InvocationExpressionSyntax invocation, IMethodSymbol called, SemanticModel semanticModel)
        {
            if (BuilderEntity(invocation, called, semanticModel) is not { } entity)
            {
                return;
            }

            foreach (var argument in invocation.ArgumentList.Arguments)
            {
                if (semanticModel.GetConstantValue(argument.Expression, _cancellationToken) is { HasValue: true, Value: string name }
                    && !AllProperties(entity).Any(p => p.Name == name))
                {
                    entity = entity.OriginalDefinition;
                    if (!_shadowProperties.TryGetValue(entity, out var names))
                    {
                        names = new HashSet<string>(StringComparer.Ordinal);
                        _shadowProperties[entity] = names;
                    }

                    names.Add(name);
                    return;
                }
            }
        }

        private void MarkUnmapped(INamedTypeSymbol? entity)
        {
            if (entity is null)
            {
                IsOpaque = true;
                return;
            }

            _unmapped.Add(entity.OriginalDefinition);
        }

        private void ReadIndexingCall(InvocationExpressionSyntax invocation, IMethodSymbol called, SemanticModel semanticModel, MethodDeclarationSyntax method, INamedTypeSymbol? configuredEntity)
        {
            var first = invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression;
            INamedTypeSymbol? entity = null;
            string? column = null;
            if (first is LambdaExpressionSyntax lambda && semanticModel.GetSymbolInfo(lambda, _cancellationToken).Symbol is IMethodSymbol { Parameters.Length: 1 } lambdaSymbol)
            {
                entity = lambdaSymbol.Parameters[0].Type as INamedTypeSymbol;
                column = lambda.Body switch
                {
                    MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                    AnonymousObjectCreationExpressionSyntax { Initializers.Count: > 0 } anonymous => (anonymous.Initializers[0].Expression as MemberAccessExpressionSyntax)?.Name.Identifier.ValueText,
                    _ => null,
                };
            }
            else if (first is not null && semanticModel.GetConstantValue(first, _cancellationToken) is { HasValue: true, Value: string named })
            {
                column = named.Split(',')[0].Trim();
                entity = called.Name == "HasForeignKey" || called.Name == "HasPrincipalKey"
                    ? (called.ContainingType is { Name: "ReferenceCollectionBuilder", TypeArguments.Length: 2 } collection ? collection.TypeArguments[called.Name == "HasForeignKey" ? 1 : 0] as INamedTypeSymbol : null)
                    : BuilderEntity(invocation, called, semanticModel);
            }
            else if (first is null && called.Name == "HasForeignKey")
            {
                return; // nothing to read
            }

            if (entity is null || string.IsNullOrEmpty(column))
            {
                IsOpaque = true;
                return;
            }

            entity = entity.OriginalDefinition;
            if (!_fluentColumns.TryGetValue(entity, out var columns))
            {
                columns = new HashSet<string>(StringComparer.Ordinal);
                _fluentColumns[entity] = columns;
            }

            columns.Add(column!);
            if (configuredEntity is null && called.Name is "HasIndex" or "HasKey" or "HasAlternateKey" && !_onModelCreatingIndexes.ContainsKey(entity))
            {
                _onModelCreatingIndexes[entity] = method.GetReference();
            }
        }

        /// <summary>
        /// The entity the builder a call is made on configures: string overloads (<c>Property&lt;T&gt;("Name")</c>,
        /// <c>HasIndex("Code")</c>) are declared on the non-generic base, so the receiver's type is asked too.
        /// </summary>
        private INamedTypeSymbol? BuilderEntity(InvocationExpressionSyntax invocation, IMethodSymbol called, SemanticModel semanticModel)
            => EntityOfBuilder(called.ContainingType)
                ?? (invocation.Expression is MemberAccessExpressionSyntax member ? EntityOfBuilder(semanticModel.GetTypeInfo(member.Expression, _cancellationToken).Type as INamedTypeSymbol) : null);

        /// <summary>T of <c>EntityTypeBuilder&lt;T&gt;</c>; null for the non-generic builder.</summary>
        private static INamedTypeSymbol? EntityOfBuilder(INamedTypeSymbol? builder)
            => builder is { Name: "EntityTypeBuilder", TypeArguments.Length: 1 } ? builder.TypeArguments[0] as INamedTypeSymbol
                : builder is { Name: "OwnedNavigationBuilder", TypeArguments.Length: 2 } ? builder.TypeArguments[1] as INamedTypeSymbol
                : null;

        private static bool IsEfBuilder(ITypeSymbol? type)
            => type is not null && type.Name.EndsWith("Builder", StringComparison.Ordinal) && type.ContainingNamespace?.ToDisplayString().StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) == true;

        public Dictionary<INamedTypeSymbol, EntityIndexFacts> Finish()
        {
            var result = new Dictionary<INamedTypeSymbol, EntityIndexFacts>(SymbolEqualityComparer.Default);
            foreach (var entity in Entities)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (!entity.Locations.Any(l => l.IsInSource) || _unmapped.Contains(entity) || HasAttribute(entity, "KeylessAttribute") || HasAttribute(entity, "OwnedAttribute"))
                {
                    continue;
                }

                var columns = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
                var shadows = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
                var filterColumns = new HashSet<string>(StringComparer.Ordinal);
                var narrowedByFilter = false;
                AddDeclaredColumns(entity, columns);
                for (var type = entity; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
                {
                    var definition = type.OriginalDefinition;
                    if (_fluentColumns.TryGetValue(definition, out var fluent))
                    {
                        columns.UnionWith(fluent);
                    }

                    if (_shadowProperties.TryGetValue(definition, out var shadow))
                    {
                        shadows.UnionWith(shadow);
                    }

                    if (_queryFilterColumns.TryGetValue(definition, out var filtered))
                    {
                        filterColumns.UnionWith(filtered);
                    }

                    narrowedByFilter |= _unreadableQueryFilters.Contains(definition);
                }

                narrowedByFilter |= filterColumns.Overlaps(columns);

                // Owned types declared by attribute on the navigation's type are skipped above; owned navigations map no column here.
                IndexDeclarationStyle style;
                SyntaxReference? site;
                if (_configureMethods.TryGetValue(entity, out var configure))
                {
                    (style, site) = (IndexDeclarationStyle.EntityConfiguration, configure);
                }
                else if (_onModelCreatingIndexes.TryGetValue(entity, out var onModelCreating))
                {
                    (style, site) = (IndexDeclarationStyle.OnModelCreating, onModelCreating);
                }
                else
                {
                    (style, site) = (IndexDeclarationStyle.Attribute, entity.DeclaringSyntaxReferences.FirstOrDefault());
                }

                result[entity] = new EntityIndexFacts(entity, columns.ToImmutable(), shadows.ToImmutable(), narrowedByFilter, style, site);
            }

            return result;
        }

        /// <summary>Keys, foreign keys and attribute indexes the entity's own declarations state.</summary>
        private void AddDeclaredColumns(INamedTypeSymbol entity, ImmutableHashSet<string>.Builder columns)
        {
            for (var type = entity; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
            {
                foreach (var attribute in type.GetAttributes())
                {
                    if (attribute.AttributeClass?.Name is "IndexAttribute" or "PrimaryKeyAttribute" && FirstName(attribute) is { } leading)
                    {
                        columns.Add(leading);
                    }
                }
            }

            if (EfModel.GetPrimaryKey(entity) is { } key)
            {
                columns.Add(key.Name);
            }

            columns.Add("Id");
            columns.Add(entity.Name + "Id");
            foreach (var property in AllProperties(entity))
            {
                foreach (var attribute in property.GetAttributes())
                {
                    var attributeName = attribute.AttributeClass?.Name;
                    if (attributeName == "KeyAttribute")
                    {
                        columns.Add(property.Name);
                    }
                    else if (attributeName == "ForeignKeyAttribute")
                    {
                        // On the key property it names the navigation; on a navigation it names the key properties.
                        if (IsNavigation(property))
                        {
                            if (attribute.ConstructorArguments.FirstOrDefault().Value is string keys)
                            {
                                columns.Add(keys.Split(',')[0].Trim());
                            }
                        }
                        else
                        {
                            columns.Add(property.Name);
                        }
                    }
                }

                // Convention: a reference navigation Author (to Person with key Id) is keyed by AuthorId / AuthorPersonId / PersonId.
                if (IsNavigation(property) && property.Type is INamedTypeSymbol principal && !IsCollection(principal))
                {
                    var principalKey = EfModel.GetPrimaryKey(principal)?.Name ?? "Id";
                    columns.Add(property.Name + "Id");
                    columns.Add(property.Name + principalKey);
                    columns.Add(principal.Name + "Id");
                    columns.Add(principal.Name + principalKey);
                }
            }

            // Convention: a collection of this entity on a principal makes <Principal>Id a foreign key here.
            var principalsByElement = PrincipalsByCollectionElement();
            for (var type = entity; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
            {
                if (principalsByElement.TryGetValue(type.OriginalDefinition, out var principals))
                {
                    foreach (var principal in principals)
                    {
                        var principalKey = EfModel.GetPrimaryKey(principal)?.Name ?? "Id";
                        columns.Add(principal.Name + "Id");
                        columns.Add(principal.Name + principalKey);
                    }
                }
            }
        }

        private Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>? _principalsByElement;

        /// <summary>
        /// For each type some entity holds a collection of, the entities holding one: read once, so each entity's
        /// foreign keys by convention are looked up instead of scanning every entity again (quadratic in large models).
        /// </summary>
        private Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>> PrincipalsByCollectionElement()
        {
            if (_principalsByElement is { } known)
            {
                return known;
            }

            var map = new Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
            foreach (var principal in Entities)
            {
                foreach (var property in AllProperties(principal))
                {
                    if (property.Type is INamedTypeSymbol { IsGenericType: true } collection && IsCollection(collection)
                        && collection.TypeArguments[0] is INamedTypeSymbol element)
                    {
                        if (!map.TryGetValue(element.OriginalDefinition, out var principals))
                        {
                            map[element.OriginalDefinition] = principals = new List<INamedTypeSymbol>();
                        }

                        if (!principals.Contains(principal, SymbolEqualityComparer.Default))
                        {
                            principals.Add(principal);
                        }
                    }
                }
            }

            return _principalsByElement = map;
        }

        private bool IsNavigation(IPropertySymbol property)
            => property.Type is INamedTypeSymbol { TypeKind: TypeKind.Class, SpecialType: SpecialType.None } type
                && (Entities.Contains(type.OriginalDefinition) || IsCollection(type) || type.Locations.Any(l => l.IsInSource));

        private static bool IsCollection(INamedTypeSymbol type)
        {
            if (type.SpecialType == SpecialType.System_String || !type.IsGenericType)
            {
                return false;
            }

            if (type.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
            {
                return true;
            }

            foreach (var implemented in type.AllInterfaces)
            {
                if (implemented.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
                {
                    return true;
                }
            }

            return false;
        }

        private static IEnumerable<IPropertySymbol> AllProperties(INamedTypeSymbol type)
        {
            for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is IPropertySymbol { IsStatic: false, IsIndexer: false } property)
                    {
                        yield return property;
                    }
                }
            }
        }

        private static string? FirstName(AttributeData attribute)
        {
            if (attribute.ConstructorArguments.Length == 0)
            {
                return null;
            }

            var first = attribute.ConstructorArguments[0];
            if (first.Kind == TypedConstantKind.Array)
            {
                return first.Values.FirstOrDefault().Value as string;
            }

            return first.Value as string;
        }

        private static bool HasAttribute(INamedTypeSymbol type, string name)
            => type.GetAttributes().Any(a => a.AttributeClass?.Name == name);
    }
}
