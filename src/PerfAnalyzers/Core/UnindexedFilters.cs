using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>One equality, range, IN or prefix test of an entity property in a query predicate: <c>u.Email == email</c>.</summary>
internal readonly struct PropertyFilter
{
    public PropertyFilter(string name, IPropertySymbol? property, SyntaxNode syntax)
    {
        Name = name;
        Property = property;
        Syntax = syntax;
    }

    /// <summary>The column's property name (a shadow property's name for <c>EF.Property&lt;T&gt;(e, "Name")</c>).</summary>
    public string Name { get; }

    /// <summary>The CLR property; null for a shadow property.</summary>
    public IPropertySymbol? Property { get; }

    /// <summary>The member access in the predicate (<c>u.Email</c>), or the <c>EF.Property</c> call.</summary>
    public SyntaxNode Syntax { get; }
}

/// <summary>The filters an executed EF query applies to the rows of its root entity, read from its predicates.</summary>
internal sealed class QueryFilters
{
    public QueryFilters(ITypeSymbol entity, ImmutableArray<PropertyFilter> filters, ImmutableArray<ImmutableArray<ImmutableHashSet<string>>> conditions)
    {
        Entity = entity;
        Filters = filters;
        Conditions = conditions;
    }

    public ITypeSymbol Entity { get; }

    public ImmutableArray<PropertyFilter> Filters { get; }

    /// <summary>Every AND-ed condition, as the entity properties each of its OR-ed alternatives mentions.</summary>
    public ImmutableArray<ImmutableArray<ImmutableHashSet<string>>> Conditions { get; }

    /// <summary>
    /// True when an AND-ed condition already involves an indexed column in each of its alternatives: the index narrows
    /// the rows first. <c>o.UserId == u || o.Status == s</c> does not narrow: the second alternative still scans.
    /// </summary>
    public bool IsNarrowedBy(ImmutableHashSet<string> indexedColumns)
    {
        foreach (var condition in Conditions)
        {
            var narrows = true;
            foreach (var alternative in condition)
            {
                narrows &= alternative.Overlaps(indexedColumns);
            }

            if (narrows)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Reads the predicates of an executed EF query rooted in a <c>DbSet</c> (or <c>Set&lt;T&gt;()</c>): <c>Where</c> and the
/// predicate of <c>First*/Single*/Last*/Any/Count</c>, through locals the query was built in
/// (<c>var q = db.Orders.AsQueryable(); if (x) q = q.Where(..);</c>). Answers null for anything it cannot read whole
/// (raw SQL roots, joins, queries from parameters or other methods, predicates that are not lambdas).
/// </summary>
internal static class UnindexedFilters
{
    private const int MaxDepth = 32;

    // Per query: operators and local values read before giving up (a query rebuilt hundreds of times is not read).
    private const int MaxSteps = 256;

    private static readonly ImmutableHashSet<string> PredicateTerminals = ImmutableHashSet.Create(
        StringComparer.Ordinal, "First", "FirstOrDefault", "Single", "SingleOrDefault", "Last", "LastOrDefault", "Any", "Count", "LongCount");

    /// <summary>The filtering operators, synchronous and async (with query syntax, the syntax gate of PERF006).</summary>
    public static readonly ImmutableHashSet<string> FilterMethodNames = PredicateTerminals.Union(PredicateTerminals.Select(n => n + "Async")).Add("Where");

    // Bulk updates and deletes scan for their rows like any query; aggregates read every filtered row.
    private static readonly ImmutableHashSet<string> Executing = PredicateTerminals.Union(new[]
    {
        "ToList", "ToArray", "ToDictionary", "ToHashSet", "ToLookup", "Load", "Sum", "Average", "Min", "Max", "ExecuteDelete", "ExecuteUpdate",
    });

    // Operators that keep the entity's rows as they are (ordering, paging, loading options).
    private static readonly ImmutableHashSet<string> PassThrough = ImmutableHashSet.Create(
        StringComparer.Ordinal, "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "Include", "ThenInclude", "AsNoTracking",
        "AsNoTrackingWithIdentityResolution", "AsTracking", "Take", "Skip", "AsSplitQuery", "AsSingleQuery", "TagWith", "TagWithCallSite",
        "IgnoreQueryFilters", "IgnoreAutoIncludes", "AsQueryable", "Distinct", "OfType");

    public static QueryFilters? Find(IOperation roundTrip, WellKnownTypes types, LocalDataFlow? flow)
    {
        // foreach / await foreach over the query executes it.
        if (roundTrip.Parent is IForEachLoopOperation loop && ReferenceEquals(loop.Collection, roundTrip))
        {
            var source = roundTrip.WalkDownConversions();
            if (source is IInvocationOperation { TargetMethod.Name: "AsAsyncEnumerable" or "AsEnumerable" } asSequence)
            {
                source = asSequence.GetReceiver();
            }

            var iterated = new QueryWalk(types, flow);
            return iterated.Chain(source, 0) && iterated.Root is { } iteratedRoot && iterated.Predicates.Count > 0 ? Read(iteratedRoot, iterated.Predicates) : null;
        }

        // ToList() and friends on an IQueryable bind to Enumerable and execute the query all the same.
        if (roundTrip is not IInvocationOperation terminal
            || !(IsQueryOperator(terminal.TargetMethod, types) || (terminal.TargetMethod.ContainingType.IsType(types.Enumerable) && terminal.GetReceiver()?.WalkDownConversions()?.Type.Implements(types.IQueryable) == true)))
        {
            return null;
        }

        var terminalName = RoundTripRecognizer.StripAsync(terminal.TargetMethod.Name);
        if (!Executing.Contains(terminalName))
        {
            return null;
        }

        var walk = new QueryWalk(types, flow);
        if (PredicateTerminals.Contains(terminalName) && PredicateArgument(terminal) is { } terminalPredicate)
        {
            walk.Predicates.Add(terminalPredicate);
        }

        return walk.Chain(terminal.GetReceiver(), 0) && walk.Root is { } root && walk.Predicates.Count > 0 ? Read(root, walk.Predicates) : null;
    }

    /// <summary>Walks a query from its executing end back to its root, collecting the predicates that filter the root's rows.</summary>
    private sealed class QueryWalk
    {
        private readonly WellKnownTypes _types;
        private readonly LocalDataFlow? _flow;
        private readonly HashSet<ILocalSymbol> _visiting = new(SymbolEqualityComparer.Default);
        private int _steps;

        public QueryWalk(WellKnownTypes types, LocalDataFlow? flow)
        {
            _types = types;
            _flow = flow;
        }

        public List<IOperation> Predicates { get; } = new();

        public ITypeSymbol? Root { get; private set; }

        /// <summary>Set when a projection was met: predicates collected so far filter the projection, not the table.</summary>
        public bool Projected { get; private set; }

        /// <summary>False when the chain is not a query this can read whole.</summary>
        public bool Chain(IOperation? start, int depth)
        {
            var operation = start.WalkDownConversions();
            for (; operation is not null && depth < MaxDepth; depth++)
            {
                if (++_steps > MaxSteps)
                {
                    return false;
                }

                if (operation.Type.InheritsFromOrEquals(_types.DbSet) && operation.Type is INamedTypeSymbol { TypeArguments.Length: 1 } set)
                {
                    return SetRoot(set.TypeArguments[0]);
                }

                if (operation is ILocalReferenceOperation local)
                {
                    return Local(local.Local, depth);
                }

                // from o in db.Orders where .. select o: the query expression is the method chain it translates to.
                if (operation is ITranslatedQueryOperation translated)
                {
                    operation = translated.Operation.WalkDownConversions();
                    continue;
                }

                // db.Orders.AsQueryable(): DbSet<T>'s own instance method, the usual start of a query built in steps.
                if (operation is IInvocationOperation { Instance: { } setInstance, TargetMethod.Name: "AsQueryable" or "AsAsyncEnumerable" } && setInstance.Type.InheritsFromOrEquals(_types.DbSet))
                {
                    operation = setInstance.WalkDownConversions();
                    continue;
                }

                if (operation is not IInvocationOperation step || !IsQueryOperator(step.TargetMethod, _types))
                {
                    return false; // a parameter, a repository method, raw SQL: not read here
                }

                var name = step.TargetMethod.Name;
                if (name == "Where")
                {
                    if (PredicateArgument(step) is not { } predicate)
                    {
                        return false;
                    }

                    Predicates.Add(predicate);
                }
                else if (name is "Select" or "SelectMany" or "GroupBy")
                {
                    Predicates.Clear(); // later filters apply to the projection, not to the table's columns
                    Projected = true;
                }
                else if (!PassThrough.Contains(name))
                {
                    return false;
                }

                operation = step.GetReceiver().WalkDownConversions();
            }

            return false;
        }

        /// <summary>
        /// A query held in a local: every value stored into it is one way the query is built, and all of them are read
        /// (<c>q = q.Where(..)</c> refers back to the earlier values).
        /// </summary>
        private bool Local(ILocalSymbol local, int depth)
        {
            if (_flow is null)
            {
                return false;
            }

            if (!_visiting.Add(local))
            {
                return true; // the local's earlier value, read by the walk already under way
            }

            var later = Predicates.ToArray();
            Predicates.Clear();
            var wasProjected = Projected;
            Projected = false;
            var readAny = false;
            foreach (var definition in _flow.GetDefinitions(local))
            {
                // A mutation (list.Add) or an unreadable value: the query may be anything.
                if (definition.IsMutation || definition.Value is null || !Chain(definition.Value, depth + 1))
                {
                    return false;
                }

                readAny = true;
            }

            if (!Projected)
            {
                Predicates.AddRange(later);
            }

            Projected |= wasProjected;
            return readAny;
        }

        private bool SetRoot(ITypeSymbol entity)
        {
            if (Root is null)
            {
                Root = entity;
                return true;
            }

            return SymbolEqualityComparer.Default.Equals(Root, entity);
        }
    }

    private static QueryFilters? Read(ITypeSymbol entity, List<IOperation> predicates)
    {
        var filters = ImmutableArray.CreateBuilder<PropertyFilter>();
        var conditions = ImmutableArray.CreateBuilder<ImmutableArray<ImmutableHashSet<string>>>();
        foreach (var predicate in predicates)
        {
            var unwrapped = predicate.WalkDownConversions();
            if (unwrapped is IDelegateCreationOperation delegateCreation)
            {
                unwrapped = delegateCreation.Target.WalkDownConversions();
            }

            if (unwrapped is not IAnonymousFunctionOperation lambda)
            {
                return null;
            }

            if (lambda.Symbol.Parameters.Length != 1 || lambda.Body.Operations.Length != 1 || lambda.Body.Operations[0] is not IReturnOperation { ReturnedValue: { } body })
            {
                return null;
            }

            // A filter over another row type (after a projection held in a local) says nothing about this table.
            var parameter = lambda.Symbol.Parameters[0];
            if (parameter.Type is not INamedTypeSymbol rowType || !entity.InheritsFromOrEquals(rowType.OriginalDefinition))
            {
                continue;
            }

            foreach (var condition in Conjuncts(body))
            {
                var alternatives = ImmutableArray.CreateBuilder<ImmutableHashSet<string>>();
                var alternativeFilters = new List<PropertyFilter>();
                var allFilters = true;
                foreach (var alternative in Disjuncts(condition))
                {
                    // The optional-filter idiom (status == null || o.Status == status): an alternative that does not
                    // read the row only switches the filter off for a run; the other alternatives still say what it seeks.
                    if (!MentionsParameter(alternative, parameter))
                    {
                        continue;
                    }

                    var mentioned = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
                    foreach (var descendant in alternative.DescendantsAndSelf())
                    {
                        AddMentionedColumns(descendant, parameter, mentioned);
                    }

                    alternatives.Add(mentioned.ToImmutable());
                    if (Filter(alternative, parameter) is { } filter)
                    {
                        alternativeFilters.Add(filter);
                    }
                    else
                    {
                        allFilters = false;
                    }
                }

                if (alternatives.Count == 0)
                {
                    continue;
                }

                conditions.Add(alternatives.ToImmutable());

                // An OR is a seek only if every alternative is one; otherwise the scan is there whatever is indexed.
                if (allFilters)
                {
                    filters.AddRange(alternativeFilters);
                }
            }
        }

        return new QueryFilters(entity, filters.ToImmutable(), conditions.ToImmutable());
    }

    private static IEnumerable<IOperation> Conjuncts(IOperation condition)
        => Split(condition, BinaryOperatorKind.ConditionalAnd, BinaryOperatorKind.And);

    private static IEnumerable<IOperation> Disjuncts(IOperation condition)
        => Split(condition, BinaryOperatorKind.ConditionalOr, BinaryOperatorKind.Or);

    private static IEnumerable<IOperation> Split(IOperation condition, BinaryOperatorKind logical, BinaryOperatorKind bitwise)
    {
        condition = condition.WalkDownConversions()!;
        if (condition is IBinaryOperation binary && (binary.OperatorKind == logical || binary.OperatorKind == bitwise) && binary.Type?.SpecialType == SpecialType.System_Boolean)
        {
            foreach (var left in Split(binary.LeftOperand, logical, bitwise))
            {
                yield return left;
            }

            foreach (var right in Split(binary.RightOperand, logical, bitwise))
            {
                yield return right;
            }

            yield break;
        }

        yield return condition;
    }

    /// <summary>A comparison, an IN list (<c>ids.Contains(o.Status)</c>) or a prefix test (<c>c.Name.StartsWith(p)</c>) a b-tree index can seek.</summary>
    private static PropertyFilter? Filter(IOperation condition, IParameterSymbol parameter)
    {
        if (condition is IInvocationOperation invocation)
        {
            return Contains(invocation, parameter) ?? StartsWith(invocation, parameter);
        }

        return Comparison(condition, parameter);
    }

    /// <summary><c>u.Email == email</c>, <c>o.CreatedAt &gt;= since</c>, <c>42 &lt; p.Stock</c>: a column compared with a value from outside the row.</summary>
    private static PropertyFilter? Comparison(IOperation condition, IParameterSymbol parameter)
    {
        if (condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual } comparison)
        {
            return null;
        }

        var left = comparison.LeftOperand.WalkDownConversions();
        var right = comparison.RightOperand.WalkDownConversions();
        var (column, value) = Column(left, parameter) is not null ? (left, right) : (right, left);
        if (value is null || MentionsParameter(value, parameter))
        {
            return null;
        }

        // A literal null test (IS NULL) is not an index seek worth asking for.
        return value.ConstantValue is { HasValue: true, Value: null } ? null : Column(column, parameter);
    }

    /// <summary><c>statuses.Contains(o.Status)</c>: <c>IN (...)</c>, an index seek per value. Not <c>string.Contains</c> (<c>LIKE '%x%'</c>).</summary>
    private static PropertyFilter? Contains(IInvocationOperation invocation, IParameterSymbol parameter)
    {
        if (invocation.TargetMethod.Name != "Contains" || invocation.TargetMethod.ContainingType?.SpecialType == SpecialType.System_String)
        {
            return null;
        }

        // list.Contains(x) on a collection, or Enumerable.Contains(source, x) (MemoryExtensions for arrays as spans).
        var (collection, item) = invocation switch
        {
            { Instance: { } instance, Arguments.Length: 1 } => (instance, invocation.Arguments[0].Value),
            { Instance: null, Arguments.Length: 2 } => (invocation.Arguments[0].Value, invocation.Arguments[1].Value),
            _ => ((IOperation?)null, (IOperation?)null),
        };

        return collection is null || item is null || MentionsParameter(collection, parameter) ? null : Column(item.WalkDownConversions(), parameter);
    }

    /// <summary><c>c.Name.StartsWith(prefix)</c>: <c>LIKE 'prefix%'</c>, a range seek on an index.</summary>
    private static PropertyFilter? StartsWith(IInvocationOperation invocation, IParameterSymbol parameter)
        => invocation is { TargetMethod: { Name: "StartsWith", ContainingType.SpecialType: SpecialType.System_String }, Instance: { } instance, Arguments.Length: 1 }
            && invocation.Arguments[0].Value.Type?.SpecialType == SpecialType.System_String
            && !MentionsParameter(invocation.Arguments[0].Value, parameter)
                ? Column(instance.WalkDownConversions(), parameter)
                : null;

    /// <summary>
    /// A mapped scalar column read straight off the lambda's row parameter: <c>u.Email</c> (not <c>u.Author.Name</c>), or a
    /// shadow property <c>EF.Property&lt;DateTime&gt;(u, "LastUpdated")</c>.
    /// </summary>
    private static PropertyFilter? Column(IOperation? operation, IParameterSymbol parameter)
    {
        if (operation is IPropertyReferenceOperation { Property: { IsStatic: false } property, Instance: { } instance }
            && IsParameter(instance, parameter))
        {
            return IsScalarColumn(property) ? new PropertyFilter(property.Name, property, operation.Syntax) : null;
        }

        if (operation is IInvocationOperation { TargetMethod: { Name: "Property", IsStatic: true, ContainingType: { Name: "EF" } efType, TypeArguments.Length: 1 } shadow, Arguments.Length: 2 } call
            && efType.ContainingNamespace?.ToDisplayString() == "Microsoft.EntityFrameworkCore"
            && IsParameter(call.Arguments[0].Value, parameter)
            && call.Arguments[1].Value.ConstantValue is { HasValue: true, Value: string name }
            && IsIndexableType(shadow.TypeArguments[0]))
        {
            return new PropertyFilter(name, null, call.Syntax);
        }

        return null;
    }

    /// <summary>
    /// Any property read off the row, scalar or not (<c>a.IsActive</c>, <c>EF.Property&lt;int&gt;(a, "TenantId")</c>);
    /// <c>o.Customer.Id</c> also names the foreign key column <c>CustomerId</c> EF Core compares instead of joining.
    /// </summary>
    private static void AddMentionedColumns(IOperation operation, IParameterSymbol parameter, ImmutableHashSet<string>.Builder mentioned)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation { Property.IsStatic: false, Instance: { } instance } reference when IsParameter(instance, parameter):
                mentioned.Add(reference.Property.Name);
                break;
            case IPropertyReferenceOperation { Property.IsStatic: false, Instance: IPropertyReferenceOperation { Property.IsStatic: false, Instance: { } root } navigation } reference when IsParameter(root, parameter):
                mentioned.Add(navigation.Property.Name + reference.Property.Name);
                break;
            case IInvocationOperation { TargetMethod: { Name: "Property", IsStatic: true, ContainingType.Name: "EF" }, Arguments.Length: 2 } call
                when IsParameter(call.Arguments[0].Value, parameter) && call.Arguments[1].Value.ConstantValue is { HasValue: true, Value: string name }:
                mentioned.Add(name);
                break;
        }
    }

    private static bool IsParameter(IOperation operation, IParameterSymbol parameter)
        => operation.WalkDownConversions() is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter);

    private static bool MentionsParameter(IOperation operation, IParameterSymbol parameter)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A mapped scalar column worth an index: settable, not <c>[NotMapped]</c>, of a value type (not bool) or string.</summary>
    private static bool IsScalarColumn(IPropertySymbol property)
    {
        if (property.SetMethod is null)
        {
            return false;
        }

        foreach (var attribute in property.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == "NotMappedAttribute")
            {
                return false;
            }
        }

        return IsIndexableType(property.Type);
    }

    /// <summary>A value type (not bool: it splits the table in two at best, an index rarely beats the scan) or string.</summary>
    private static bool IsIndexableType(ITypeSymbol type)
    {
        type = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
        return type.SpecialType != SpecialType.System_Boolean && (type.IsValueType || type.SpecialType == SpecialType.System_String);
    }

    private static IOperation? PredicateArgument(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "predicate")
            {
                return argument.Value;
            }
        }

        return null;
    }

    private static bool IsQueryOperator(IMethodSymbol method, WellKnownTypes types)
    {
        var containing = method.ContainingType?.OriginalDefinition;
        return containing.IsType(types.Queryable) || containing.IsType(types.EfQueryableExtensions);
    }
}
