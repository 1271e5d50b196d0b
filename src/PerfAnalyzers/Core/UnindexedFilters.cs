using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>One equality or range comparison of an entity property in a query predicate: <c>u.Email == email</c>.</summary>
internal readonly struct PropertyFilter
{
    public PropertyFilter(IPropertySymbol property, SyntaxNode syntax)
    {
        Property = property;
        Syntax = syntax;
    }

    public IPropertySymbol Property { get; }

    /// <summary>The member access in the predicate (<c>u.Email</c>).</summary>
    public SyntaxNode Syntax { get; }
}

/// <summary>The filters an executed EF query applies to the rows of its root entity, read from its predicates.</summary>
internal sealed class QueryFilters
{
    public QueryFilters(ITypeSymbol entity, ImmutableArray<PropertyFilter> filters, ImmutableHashSet<string> mentionedProperties)
    {
        Entity = entity;
        Filters = filters;
        MentionedProperties = mentionedProperties;
    }

    public ITypeSymbol Entity { get; }

    public ImmutableArray<PropertyFilter> Filters { get; }

    /// <summary>Every entity property any AND-ed condition mentions.</summary>
    public ImmutableHashSet<string> MentionedProperties { get; }

    /// <summary>True when an AND-ed condition already involves an indexed column: the index narrows the rows first.</summary>
    public bool IsNarrowedBy(ImmutableHashSet<string> indexedColumns) => MentionedProperties.Overlaps(indexedColumns);
}

/// <summary>
/// Reads the predicates of an executed EF query chained straight off a <c>DbSet</c>: <c>Where</c> and the predicate
/// of <c>First*/Single*/Last*/Any/Count</c>. Answers null for anything it cannot read whole (raw SQL roots, projections
/// before a filter, joins, predicates that are not lambdas).
/// </summary>
internal static class UnindexedFilters
{
    private static readonly ImmutableHashSet<string> PredicateTerminals = ImmutableHashSet.Create(
        StringComparer.Ordinal, "First", "FirstOrDefault", "Single", "SingleOrDefault", "Last", "LastOrDefault", "Any", "Count", "LongCount");

    /// <summary>The filtering operators, synchronous and async (the syntax gate of PERF006).</summary>
    public static readonly ImmutableHashSet<string> FilterMethodNames = PredicateTerminals.Union(PredicateTerminals.Select(n => n + "Async")).Add("Where");

    private static readonly ImmutableHashSet<string> Executing = PredicateTerminals.Union(new[] { "ToList", "ToArray", "ToDictionary", "ToHashSet", "ToLookup", "Load" });

    // Operators that keep the entity's rows as they are (ordering, paging, loading options).
    private static readonly ImmutableHashSet<string> PassThrough = ImmutableHashSet.Create(
        StringComparer.Ordinal, "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "Include", "ThenInclude", "AsNoTracking",
        "AsNoTrackingWithIdentityResolution", "AsTracking", "Take", "Skip", "AsSplitQuery", "AsSingleQuery", "TagWith", "TagWithCallSite",
        "IgnoreQueryFilters", "IgnoreAutoIncludes", "AsQueryable", "Distinct");

    public static QueryFilters? Find(IOperation roundTrip, WellKnownTypes types)
    {
        // ToList() and friends on an IQueryable bind to Enumerable and execute the query all the same.
        if (roundTrip is not IInvocationOperation terminal
            || !(IsQueryOperator(terminal.TargetMethod, types) || (terminal.TargetMethod.ContainingType.IsType(types.Enumerable) && terminal.GetReceiver()?.WalkDownConversions()?.Type.Implements(types.IQueryable) == true)))
        {
            return null;
        }

        var terminalName = StripAsync(terminal.TargetMethod.Name);
        if (!Executing.Contains(terminalName))
        {
            return null;
        }

        var predicates = new List<IOperation>();
        if (PredicateTerminals.Contains(terminalName) && PredicateArgument(terminal) is { } terminalPredicate)
        {
            predicates.Add(terminalPredicate);
        }

        var operation = terminal.GetReceiver().WalkDownConversions();
        for (var depth = 0; operation is not null && depth < 32; depth++)
        {
            if (operation.Type.InheritsFromOrEquals(types.DbSet) && operation.Type is INamedTypeSymbol { TypeArguments.Length: 1 } set)
            {
                return predicates.Count == 0 ? null : Read(set.TypeArguments[0], predicates);
            }

            if (operation is not IInvocationOperation step || !IsQueryOperator(step.TargetMethod, types))
            {
                return null; // a local, a repository method, raw SQL: not read here
            }

            var name = step.TargetMethod.Name;
            if (name == "Where")
            {
                if (PredicateArgument(step) is not { } predicate)
                {
                    return null;
                }

                predicates.Add(predicate);
            }
            else if (name == "Select")
            {
                predicates.Clear(); // later filters apply to the projection, not to the table's columns
            }
            else if (!PassThrough.Contains(name))
            {
                return null;
            }

            operation = step.GetReceiver().WalkDownConversions();
        }

        return null;
    }

    private static QueryFilters? Read(ITypeSymbol entity, List<IOperation> predicates)
    {
        var filters = ImmutableArray.CreateBuilder<PropertyFilter>();
        var mentioned = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
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

            var parameter = lambda.Symbol.Parameters[0];
            foreach (var condition in Conjuncts(body))
            {
                foreach (var descendant in condition.DescendantsAndSelf())
                {
                    if (EntityProperty(descendant, parameter) is { } property)
                    {
                        mentioned.Add(property.Name);
                    }
                }

                if (Comparison(condition, parameter) is { } filter)
                {
                    filters.Add(filter);
                }
            }
        }

        return new QueryFilters(entity, filters.ToImmutable(), mentioned.ToImmutable());
    }

    private static IEnumerable<IOperation> Conjuncts(IOperation condition)
    {
        condition = condition.WalkDownConversions()!;
        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And } and && and.Type?.SpecialType == SpecialType.System_Boolean)
        {
            foreach (var left in Conjuncts(and.LeftOperand))
            {
                yield return left;
            }

            foreach (var right in Conjuncts(and.RightOperand))
            {
                yield return right;
            }

            yield break;
        }

        yield return condition;
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
        var (column, value) = EntityProperty(left, parameter) is not null ? (left, right) : (right, left);
        if (column is not IPropertyReferenceOperation reference || EntityProperty(column, parameter) is not { } property || value is null || MentionsParameter(value, parameter))
        {
            return null;
        }

        // A literal null test (IS NULL) and comparisons of navigations are not index seeks worth asking for.
        if (value.ConstantValue is { HasValue: true, Value: null } || !IsScalarColumn(property))
        {
            return null;
        }

        return new PropertyFilter(property, reference.Syntax);
    }

    /// <summary>The entity property read straight off the lambda's row parameter (<c>u.Email</c>, not <c>u.Author.Name</c>).</summary>
    private static IPropertySymbol? EntityProperty(IOperation? operation, IParameterSymbol parameter)
        => operation is IPropertyReferenceOperation { Property: { IsStatic: false } property, Instance: { } instance }
            && instance.WalkDownConversions() is IParameterReferenceOperation reference
            && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter)
                ? property
                : null;

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

        // A bool (or bool?) column splits the table in two at best: an index rarely beats the scan.
        var type = property.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : property.Type;
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

    private static string StripAsync(string name)
        => name.EndsWith("Async", StringComparison.Ordinal) ? name.Substring(0, name.Length - 5) : name;
}
