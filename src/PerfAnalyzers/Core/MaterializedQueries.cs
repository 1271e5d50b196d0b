using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>
/// A database query materialized (<c>ToList</c>, <c>ToArray</c>, <c>AsEnumerable</c>, awaited <c>ToListAsync</c>)
/// and then filtered, sorted, paged or aggregated in memory by LINQ-to-Objects operators, and which of those
/// operators EF Core could run in SQL with the same result (a conservative whitelist).
/// Shared by PERF007's analyzer and its code fix.
/// </summary>
internal static class MaterializedQueries
{
    /// <summary>Operators that return a sequence and can move before the materialization.</summary>
    public static readonly ImmutableHashSet<string> SequenceOperators = ImmutableHashSet.Create(
        StringComparer.Ordinal, "Where", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "Skip", "Take");

    /// <summary>Operators that return one value; each has an EF Core <c>...Async</c> twin.</summary>
    public static readonly ImmutableHashSet<string> TerminalOperators = ImmutableHashSet.Create(
        StringComparer.Ordinal, "First", "FirstOrDefault", "Single", "SingleOrDefault", "Count", "LongCount", "Any", "All",
        "Last", "LastOrDefault", "Min", "Max", "Sum", "Average");

    /// <summary>The materializing operators (also the syntax gate of PERF007).</summary>
    public static readonly ImmutableHashSet<string> MaterializerNames = ImmutableHashSet.Create(
        StringComparer.Ordinal, "ToList", "ToArray", "AsEnumerable", "ToListAsync", "ToArrayAsync");

    private static readonly ImmutableHashSet<string> ScalarOperatorTypes = ImmutableHashSet.Create(
        StringComparer.Ordinal, "System.DateTime", "System.DateTimeOffset", "System.TimeSpan", "System.DateOnly", "System.TimeOnly", "System.Guid", "System.Decimal", "System.String");

    /// <summary>Is <paramref name="invocation"/> a call that turns a query into an in-memory sequence?</summary>
    public static bool IsMaterializer(IInvocationOperation invocation, WellKnownTypes types)
    {
        var method = invocation.TargetMethod;
        if (!MaterializerNames.Contains(method.Name) || !method.IsExtensionMethod)
        {
            return false;
        }

        var containing = method.ContainingType?.OriginalDefinition;
        return method.Name.EndsWith("Async", StringComparison.Ordinal)
            ? containing.IsType(types.EfQueryableExtensions)
            : containing.IsType(types.Enumerable);
    }

    /// <summary>
    /// The operation that holds the materialized rows: the awaited task for <c>ToListAsync</c>, else the call itself;
    /// null when an async materializer is not awaited directly (<c>ConfigureAwait</c>, a stored task).
    /// </summary>
    public static IOperation? MaterializedValue(IInvocationOperation materializer)
    {
        if (!materializer.TargetMethod.Name.EndsWith("Async", StringComparison.Ordinal))
        {
            return materializer;
        }

        return UpThroughConversions(materializer).Parent as IAwaitOperation;
    }

    /// <summary>
    /// The rows come straight from an <c>IQueryable</c> (not from LINQ-to-Objects operators already applied to it),
    /// so an operator moved before the materialization binds to <c>Queryable</c> and runs in SQL.
    /// </summary>
    public static bool IsQueryableSource(IOperation? query, WellKnownTypes types)
        => query.WalkDownConversions()?.Type.Implements(types.IQueryableOfT) == true;

    /// <summary>The local a materialized value is stored in by its declaration (<c>var all = db.Orders.ToList();</c>).</summary>
    public static ILocalSymbol? DeclaredLocal(IOperation materializedValue)
        => DeclaringDeclarator(materializedValue)?.Symbol;

    public static IVariableDeclaratorOperation? DeclaringDeclarator(IOperation materializedValue)
        => UpThroughConversions(materializedValue).Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
            ? declarator
            : null;

    /// <summary>
    /// Does <paramref name="read"/> run once per run of <paramref name="declarator"/>? Not when a loop or a lambda
    /// lies between them: filtering one list per iteration (the bulk-load-then-look-up pattern) is the good shape.
    /// </summary>
    public static bool RunsOncePerDeclaration(IOperation read, IOperation declarator)
    {
        var declaration = declarator.Syntax;
        IOperation child = read;
        for (var current = read.Parent; current is not null; child = current, current = current.Parent)
        {
            if (declaration.IsWithin(current.Syntax))
            {
                return true;
            }

            switch (current)
            {
                case IForEachLoopOperation forEach when child == forEach.Collection:
                    continue; // the collection of a foreach is evaluated once
                case ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// The LINQ-to-Objects operators applied to <paramref name="value"/>, innermost first:
    /// <c>all.Where(..).OrderBy(..).ToList()</c> → Where, OrderBy, ToList. Empty when the value is used otherwise.
    /// </summary>
    public static ImmutableArray<IInvocationOperation> InMemoryChain(IOperation value, WellKnownTypes types)
    {
        var chain = ImmutableArray.CreateBuilder<IInvocationOperation>();
        var current = value;
        for (var depth = 0; depth < 16; depth++)
        {
            if (UpThroughConversions(current).Parent is not IArgumentOperation { Parent: IInvocationOperation consumer } argument
                || !consumer.TargetMethod.IsExtensionMethod
                || consumer.Arguments.Length == 0
                || consumer.Arguments[0] != argument
                || !consumer.TargetMethod.ContainingType.IsType(types.Enumerable))
            {
                break;
            }

            chain.Add(consumer);
            current = consumer;
        }

        return chain.ToImmutable();
    }

    /// <summary>Is the operator one PERF007 is about (a filter, sort, page or aggregate)?</summary>
    public static bool IsReportedOperator(IInvocationOperation invocation)
        => SequenceOperators.Contains(invocation.TargetMethod.Name) || TerminalOperators.Contains(invocation.TargetMethod.Name);

    /// <summary>
    /// How many leading operators of <paramref name="chain"/> EF Core can run in SQL with the same result:
    /// stops at the first operator that is not whitelisted, and after a terminal operator.
    /// </summary>
    public static int TranslatablePrefix(ImmutableArray<IInvocationOperation> chain)
    {
        var count = 0;
        foreach (var invocation in chain)
        {
            if (!IsTranslatableOperator(invocation))
            {
                break;
            }

            count++;
            if (TerminalOperators.Contains(invocation.TargetMethod.Name))
            {
                break;
            }
        }

        return count;
    }

    /// <summary>
    /// The query has a shape after which filtering in SQL is not the same thing or cannot compose: a GroupBy,
    /// a projection EF cannot translate, or raw SQL (a stored procedure cannot be composed over).
    /// </summary>
    public static bool HasUncomposableShape(IOperation? query, LocalDataFlow? flow)
    {
        var operation = query.WalkDownConversions();
        for (var depth = 0; operation is not null && depth < 32; depth++)
        {
            if (operation is ILocalReferenceOperation local && flow is not null)
            {
                IOperation? single = null;
                foreach (var definition in flow.GetDefinitions(local.Local))
                {
                    if (single is not null)
                    {
                        return true; // several sources: do not guess
                    }

                    single = definition.Value;
                }

                flow = null; // one step through a local is enough for the usual `var q = ...` shape
                operation = single.WalkDownConversions();
                continue;
            }

            if (operation is not IInvocationOperation invocation)
            {
                return false;
            }

            var name = invocation.TargetMethod.Name;
            if (name.StartsWith("FromSql", StringComparison.Ordinal) || name.StartsWith("SqlQuery", StringComparison.Ordinal)
                || name is "GroupBy" or "GroupJoin" or "SelectMany" or "Join")
            {
                return true;
            }

            if (name == "Select" && !IsTranslatableProjection(invocation))
            {
                return true;
            }

            operation = invocation.GetReceiver().WalkDownConversions();
        }

        return false;
    }

    private static bool IsTranslatableProjection(IInvocationOperation select)
    {
        if (select.Arguments.Length != 2 || LambdaOf(select.Arguments[1].Value) is not { } lambda || lambda.Symbol.Parameters.Length != 1)
        {
            return false;
        }

        return IsTranslatable(lambda.Body, lambda.Symbol.Parameters[0], projection: true);
    }

    private static bool IsTranslatableOperator(IInvocationOperation invocation)
    {
        var name = invocation.TargetMethod.Name;
        var arguments = invocation.Arguments;
        if (!IsReportedOperator(invocation) || arguments.Length > 2)
        {
            return false;
        }

        // Last without an ORDER BY throws in EF Core; Last over a sorted sequence is left alone too (rare, easy to get wrong).
        if (name is "Last" or "LastOrDefault")
        {
            return false;
        }

        if (arguments.Length == 1)
        {
            return name is not ("Min" or "Max" or "Sum" or "Average"); // over whole entities: a comparer EF cannot translate
        }

        var argument = arguments[1].Value;
        if (name is "Skip" or "Take")
        {
            return argument.Type?.SpecialType == SpecialType.System_Int32 && IsTranslatable(argument, row: null, projection: false);
        }

        // OrderBy(x, comparer), Where((x, i) => ..), method groups: LINQ to Objects only.
        return LambdaOf(argument) is { } lambda && lambda.Symbol.Parameters.Length == 1 && IsTranslatable(lambda.Body, lambda.Symbol.Parameters[0], projection: false);
    }

    private static IAnonymousFunctionOperation? LambdaOf(IOperation argument)
        => argument.WalkDownConversions() switch
        {
            IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => lambda,
            IAnonymousFunctionOperation lambda => lambda,
            _ => null,
        };

    /// <summary>
    /// Member reads of the row (scalar columns only: a navigation may not be loaded in memory), captured locals,
    /// parameters and fields, constants, comparisons, boolean and arithmetic operators, null checks, and
    /// <c>string.Contains/StartsWith/EndsWith(string)</c> and <c>Contains</c> on a captured list. Anything else
    /// (a method call, a <c>StringComparison</c> overload, an indexer, a static property) is not moved.
    /// </summary>
    private static bool IsTranslatable(IOperation? operation, IParameterSymbol? row, bool projection)
    {
        switch (operation)
        {
            case null:
                return false;
            case IBlockOperation { Operations.Length: 1 } block:
                return IsTranslatable(block.Operations[0], row, projection);
            case IReturnOperation returned:
                return IsTranslatable(returned.ReturnedValue, row, projection);
            case ILiteralOperation or IDefaultValueOperation or IInstanceReferenceOperation or ILocalReferenceOperation:
                return true;
            case IParameterReferenceOperation parameter:
                // The row itself compared or passed whole means reference equality in memory, key equality in SQL.
                return !SymbolEqualityComparer.Default.Equals(parameter.Parameter, row) || projection;
            case IConversionOperation conversion:
                return conversion.OperatorMethod is null && IsTranslatable(conversion.Operand, row, projection);
            case IBinaryOperation binary:
                return (binary.OperatorMethod is null || ScalarOperatorTypes.Contains(binary.OperatorMethod.ContainingType.ToDisplayString()))
                    && IsTranslatable(binary.LeftOperand, row, projection) && IsTranslatable(binary.RightOperand, row, projection);
            case IUnaryOperation unary:
                return unary.OperatorMethod is null && IsTranslatable(unary.Operand, row, projection);
            case IConditionalOperation conditional:
                return conditional.WhenFalse is not null && IsTranslatable(conditional.Condition, row, projection)
                    && IsTranslatable(conditional.WhenTrue, row, projection) && IsTranslatable(conditional.WhenFalse, row, projection);
            case ICoalesceOperation coalesce:
                return IsTranslatable(coalesce.Value, row, projection) && IsTranslatable(coalesce.WhenNull, row, projection);
            case IFieldReferenceOperation field:
                return field.Instance is null || (!ReadsRow(field.Instance, row) && IsTranslatable(field.Instance, row, projection));
            case IPropertyReferenceOperation property:
                return IsTranslatableProperty(property, row, projection);
            case IInvocationOperation invocation:
                return IsTranslatableCall(invocation, row, projection);
            case IIsPatternOperation isPattern:
                return IsTranslatable(isPattern.Value, row, projection) && IsTranslatablePattern(isPattern.Pattern, row);
            case IAnonymousObjectCreationOperation anonymous when projection:
                return AllTranslatable(anonymous.Initializers, row);
            case IObjectCreationOperation { Arguments.Length: 0, Initializer: { } initializer } when projection:
                return AllTranslatable(initializer.Initializers, row);
            case ISimpleAssignmentOperation assignment when projection:
                return IsTranslatable(assignment.Value, row, projection);
            default:
                return false;
        }
    }

    private static bool AllTranslatable(ImmutableArray<IOperation> operations, IParameterSymbol? row)
    {
        foreach (var operation in operations)
        {
            if (!IsTranslatable(operation, row, projection: true))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTranslatableProperty(IPropertyReferenceOperation property, IParameterSymbol? row, bool projection)
    {
        if (property.Instance is null || !property.Arguments.IsEmpty)
        {
            return false; // DateTime.Now and friends, indexers
        }

        if (!ReadsRow(property.Instance, row))
        {
            return IsTranslatable(property.Instance, row, projection); // a captured value, evaluated once as a parameter
        }

        var instance = property.Instance.WalkDownConversions();
        if (instance is IParameterReferenceOperation)
        {
            return IsScalar(property.Type); // o.Total, o.Name; not o.Buyer (a navigation that may not be loaded)
        }

        // o.EditorId.HasValue, o.EditorId.Value, o.Name.Length
        return instance is IPropertyReferenceOperation column
            && (column.Type?.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T && property.Property.Name is "HasValue" or "Value"
                || column.Type?.SpecialType == SpecialType.System_String && property.Property.Name == "Length")
            && IsTranslatableProperty(column, row, projection);
    }

    private static bool IsTranslatableCall(IInvocationOperation invocation, IParameterSymbol? row, bool projection)
    {
        var method = invocation.TargetMethod;
        var arguments = invocation.Arguments;

        // o.Name.Contains(term): no StringComparison/char overloads (different semantics or no translation).
        if (method.ContainingType?.SpecialType == SpecialType.System_String && !method.IsStatic
            && method.Name is "Contains" or "StartsWith" or "EndsWith"
            && arguments.Length == 1 && arguments[0].Value.Type?.SpecialType == SpecialType.System_String)
        {
            return IsTranslatable(invocation.Instance, row, projection) && IsTranslatable(arguments[0].Value, row, projection);
        }

        // ids.Contains(o.Id) over a captured collection.
        if (method.Name == "Contains" && method.IsExtensionMethod && method.ContainingType?.ToDisplayString() == "System.Linq.Enumerable" && arguments.Length == 2)
        {
            return !ReadsRow(arguments[0].Value, row) && IsTranslatable(arguments[0].Value, row, projection) && IsTranslatable(arguments[1].Value, row, projection);
        }

        if (method.Name == "Contains" && method.ContainingType?.OriginalDefinition.ToDisplayString() == "System.Collections.Generic.List<T>" && arguments.Length == 1 && invocation.Instance is { } list)
        {
            return !ReadsRow(list, row) && IsTranslatable(list, row, projection) && IsTranslatable(arguments[0].Value, row, projection);
        }

        return false;
    }

    private static bool IsTranslatablePattern(IPatternOperation pattern, IParameterSymbol? row)
        => pattern switch
        {
            IConstantPatternOperation constant => IsTranslatable(constant.Value, row, projection: false),
            IRelationalPatternOperation relational => IsTranslatable(relational.Value, row, projection: false),
            INegatedPatternOperation negated => IsTranslatablePattern(negated.Pattern, row),
            IBinaryPatternOperation binary => IsTranslatablePattern(binary.LeftPattern, row) && IsTranslatablePattern(binary.RightPattern, row),
            _ => false,
        };

    private static bool IsScalar(ITypeSymbol? type)
        => type is not null && (type.IsValueType || type.SpecialType == SpecialType.System_String);

    private static bool ReadsRow(IOperation operation, IParameterSymbol? row)
    {
        if (row is null)
        {
            return false;
        }

        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, row))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation UpThroughConversions(IOperation operation)
    {
        while (operation.Parent is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
        {
            operation = operation.Parent;
        }

        return operation;
    }
}
