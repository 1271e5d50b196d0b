using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>
/// What is a database round trip: EF Core executed queries, Find, entry loads, SaveChanges and raw SQL;
/// Dapper's SqlMapper extensions; ADO.NET command execution and adapter fills; and calls into methods
/// of the compilation that make one (see <see cref="InterproceduralSummaries"/>). Recognition is by symbol.
/// </summary>
internal sealed class RoundTripRecognizer
{
    private static readonly ImmutableHashSet<string> ExecutingOperators = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "ToList", "ToArray", "ToDictionary", "ToHashSet", "ToLookup",
        "First", "FirstOrDefault", "Single", "SingleOrDefault", "Last", "LastOrDefault",
        "Any", "All", "Count", "LongCount", "Sum", "Min", "Max", "MinBy", "MaxBy", "Average", "Contains",
        "ElementAt", "ElementAtOrDefault", "Aggregate", "SequenceEqual",
        "ExecuteUpdate", "ExecuteDelete", "Load", "ForEach");

    private static readonly ImmutableHashSet<string> OffsetOperators = ImmutableHashSet.Create(StringComparer.Ordinal, "Skip", "SkipLast", "SkipWhile");

    private static readonly ImmutableHashSet<string> LimitOperators = ImmutableHashSet.Create(StringComparer.Ordinal, "Take", "TakeLast", "TakeWhile", "Chunk");

    private static readonly ImmutableHashSet<string> AdoNetExecuteMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal, "ExecuteReader", "ExecuteScalar", "ExecuteNonQuery");

    private readonly WellKnownTypes _types;

    /// <summary>
    /// Can a call of this simple name be a round trip by itself (<see cref="RecognizeDirect"/>), whatever it is called on?
    /// The syntax gates' view of this recogniser: true for every name it could accept, and for some it then rejects.
    /// Compiled-query delegates are called by the name of their field or local, so they are not covered here.
    /// </summary>
    public static bool MayBeRoundTripName(string name)
    {
        var stripped = StripAsync(name);
        return ExecutingOperators.Contains(stripped)
            || stripped is "Find" or "Load" or "Reload" or "GetDatabaseValues" or "SaveChanges" or "Fill"
            || stripped.StartsWith("Query", StringComparison.Ordinal) // Dapper
            || stripped.StartsWith("Execute", StringComparison.Ordinal); // Dapper, ADO.NET commands and batches, ExecuteSql, ExecuteUpdate/Delete
    }

    /// <summary>The names of the EF methods that build compiled queries (their delegates are round trips under any name).</summary>
    public static bool IsCompiledQueryFactoryName(string name) => name is "CompileQuery" or "CompileAsyncQuery";

    public RoundTripRecognizer(WellKnownTypes types, Compilation compilation)
    {
        _types = types;
        Summaries = new InterproceduralSummaries(this, compilation);
    }

    public WellKnownTypes Types => _types;

    public InterproceduralSummaries Summaries { get; }

    /// <summary>A round trip made by <paramref name="invocation"/>, directly or through methods of the compilation.</summary>
    public RoundTrip? Recognize(IInvocationOperation invocation, LocalDataFlow? flow, CancellationToken cancellationToken)
        => RecognizeDirect(invocation, flow) ?? Summaries.RecognizeCall(invocation, cancellationToken);

    /// <summary>A round trip made by the invocation itself (no interprocedural step).</summary>
    public RoundTrip? RecognizeDirect(IInvocationOperation invocation, LocalDataFlow? flow)
    {
        var method = invocation.TargetMethod;
        var containing = method.ContainingType?.OriginalDefinition;
        if (containing is null)
        {
            return null;
        }

        var name = StripAsync(method.Name);

        // UserById(db, id): a delegate built by EF.CompileQuery/CompileAsyncQuery runs its query on every call.
        if (method.MethodKind == MethodKind.DelegateInvoke && CompiledQueryName(invocation.Instance, flow) is { } compiledQuery)
        {
            return new RoundTrip(invocation, RoundTripKind.Query, DataAccessLibrary.EfCore, compiledQuery + " (compiled query)", default, QueryPaging.None, isFindByKey: false);
        }

        // Dapper: every Query*/Execute* extension on a connection is a round trip.
        if (containing.IsType(_types.DapperSqlMapper))
        {
            if (!name.StartsWith("Query", StringComparison.Ordinal) && !name.StartsWith("Execute", StringComparison.Ordinal))
            {
                return null;
            }

            var kind = name == "Execute" ? RoundTripKind.Write : RoundTripKind.Query;
            return new RoundTrip(invocation, kind, DataAccessLibrary.Dapper, "Dapper." + method.Name, default, SqlPaging(ResolveText(invocation.GetArgument("sql"), flow)), isFindByKey: false);
        }

        // EF Core executing operators over a query rooted in a DbSet (or Set<T>, FromSql, SqlQuery).
        if (ExecutingOperators.Contains(name) && IsQueryOperatorContainer(containing))
        {
            var source = invocation.GetReceiver();
            var origin = GetQueryOrigin(source, flow, 0);
            if (origin.Root is null)
            {
                return null;
            }

            var kind = name is "ExecuteUpdate" or "ExecuteDelete" ? RoundTripKind.Write : RoundTripKind.Query;
            var paging = origin.Paging;
            if (name is "ElementAt" or "ElementAtOrDefault")
            {
                paging |= QueryPaging.Offset; // ElementAt(n) reads one row n rows in: an offset page
            }

            return new RoundTrip(invocation, kind, DataAccessLibrary.EfCore, Display(origin.Root) + "." + method.Name, default, paging, isFindByKey: false);
        }

        var receiverType = invocation.Instance?.Type;

        if (name == "Find" && (receiverType.InheritsFromOrEquals(_types.DbSet) || receiverType.InheritsFromOrEquals(_types.DbContext)))
        {
            return new RoundTrip(invocation, RoundTripKind.Query, DataAccessLibrary.EfCore, Display(receiverType!) + "." + method.Name, default, QueryPaging.None, isFindByKey: true);
        }

        if (name == "Load" && receiverType.InheritsFromOrEquals(_types.NavigationEntry))
        {
            return new RoundTrip(invocation, RoundTripKind.Query, DataAccessLibrary.EfCore, Display(receiverType!) + "." + method.Name, default, QueryPaging.None, isFindByKey: false);
        }

        // entry.Reload(), entry.GetDatabaseValues(): re-read the row.
        if (name is "Reload" or "GetDatabaseValues" && receiverType.InheritsFromOrEquals(_types.EntityEntry))
        {
            return new RoundTrip(invocation, RoundTripKind.Query, DataAccessLibrary.EfCore, Display(receiverType!) + "." + method.Name, default, QueryPaging.None, isFindByKey: false);
        }

        if (name == "SaveChanges" && receiverType.InheritsFromOrEquals(_types.DbContext))
        {
            return new RoundTrip(invocation, RoundTripKind.Write, DataAccessLibrary.EfCore, Display(receiverType!) + "." + method.Name, default, QueryPaging.None, isFindByKey: false, isSaveChanges: true);
        }

        if (containing.IsType(_types.RelationalDatabaseFacadeExtensions) && name.StartsWith("ExecuteSql", StringComparison.Ordinal))
        {
            return new RoundTrip(invocation, RoundTripKind.Write, DataAccessLibrary.EfCore, "DatabaseFacade." + method.Name, default, QueryPaging.None, isFindByKey: false);
        }

        // ADO.NET
        if (AdoNetExecuteMethods.Contains(name) && (receiverType.InheritsFromOrEquals(_types.DbCommand) || receiverType.Implements(_types.IDbCommand)))
        {
            var kind = name == "ExecuteNonQuery" ? RoundTripKind.Write : RoundTripKind.Query;
            return new RoundTrip(invocation, kind, DataAccessLibrary.AdoNet, Display(receiverType!) + "." + method.Name, default, CommandPaging(invocation.Instance, flow), isFindByKey: false);
        }

        // DbBatch (NpgsqlBatch, SqlBatch): all its commands go in one round trip, but one per execution.
        if (AdoNetExecuteMethods.Contains(name) && receiverType.InheritsFromOrEquals(_types.DbBatch))
        {
            var kind = name == "ExecuteNonQuery" ? RoundTripKind.Write : RoundTripKind.Query;
            return new RoundTrip(invocation, kind, DataAccessLibrary.AdoNet, Display(receiverType!) + "." + method.Name, default, QueryPaging.None, isFindByKey: false);
        }

        if (name == "Fill" && (receiverType.InheritsFromOrEquals(_types.DbDataAdapter) || receiverType.Implements(_types.IDataAdapter)))
        {
            return new RoundTrip(invocation, RoundTripKind.Query, DataAccessLibrary.AdoNet, Display(receiverType!) + "." + method.Name, default, QueryPaging.None, isFindByKey: false);
        }

        return null;
    }

    /// <summary>The name of a field, property or local holding a delegate from <c>EF.CompileQuery/CompileAsyncQuery</c>, or null.</summary>
    private string? CompiledQueryName(IOperation? receiver, LocalDataFlow? flow)
    {
        if (_types.Ef is null)
        {
            return null;
        }

        IOperation? source = null;
        string? name = null;
        switch (receiver.WalkDownConversions())
        {
            case IFieldReferenceOperation field:
                name = field.Field.Name;
                source = Summaries.GetInitializerValue(field.Field, CancellationToken.None);
                break;
            case IPropertyReferenceOperation property:
                name = property.Property.Name;
                source = Summaries.GetInitializerValue(property.Property, CancellationToken.None);
                break;
            case ILocalReferenceOperation local when flow is not null:
                name = local.Local.Name;
                foreach (var definition in flow.GetDefinitions(local.Local))
                {
                    if (!definition.IsMutation)
                    {
                        source = definition.Value;
                        break;
                    }
                }

                break;
        }

        return source.WalkDownConversions() is IInvocationOperation compile && IsCompiledQueryFactoryName(compile.TargetMethod.Name)
            && compile.TargetMethod.ContainingType.IsType(_types.Ef)
            ? name
            : null;
    }

    /// <summary>A foreach (or await foreach) directly over a database query executes it.</summary>
    public RoundTrip? RecognizeIteratedQuery(IForEachLoopOperation loop, LocalDataFlow? flow)
    {
        var origin = GetQueryOrigin(loop.Collection, flow, 0);
        if (origin.Root is null)
        {
            return null;
        }

        return new RoundTrip(loop.Collection, RoundTripKind.Query, DataAccessLibrary.EfCore, Display(origin.Root) + (loop.IsAsynchronous ? " (await foreach)" : " (foreach)"), default, origin.Paging, isFindByKey: false);
    }

    /// <summary>True when <paramref name="expression"/> is a not-yet-executed query against the database.</summary>
    public bool IsDatabaseQuery(IOperation? expression, LocalDataFlow? flow) => GetQueryOrigin(expression, flow, 0).Root is not null;

    /// <summary>Where a query comes from: the DbSet (or raw SQL) type at its root, and whether it pages.</summary>
    public QueryOrigin GetQueryOrigin(IOperation? expression, LocalDataFlow? flow, int depth)
    {
        var paged = QueryPaging.None;
        for (var operation = expression.WalkDownConversions(); operation is not null && depth < 32; depth++)
        {
            if (operation.Type.InheritsFromOrEquals(_types.DbSet))
            {
                return new QueryOrigin(operation.Type, paged);
            }

            // dbSet.AsQueryable(), dbSet.AsAsyncEnumerable(): instance methods of DbSet<T>.
            if (operation is IInvocationOperation { Instance: { } setInstance } onSet && setInstance.Type.InheritsFromOrEquals(_types.DbSet) && IsDeferredSequence(onSet.TargetMethod.ReturnType))
            {
                return new QueryOrigin(setInstance.Type, paged);
            }

            switch (operation)
            {
                case IInvocationOperation invocation:
                    var method = invocation.TargetMethod;
                    var containing = method.ContainingType?.OriginalDefinition;
                    if (containing is null)
                    {
                        return default;
                    }

                    if (containing.IsType(_types.RelationalDatabaseFacadeExtensions) && method.Name.StartsWith("SqlQuery", StringComparison.Ordinal))
                    {
                        return new QueryOrigin(method.ReturnType, paged);
                    }

                    if (method.Name == "Query" && invocation.Instance?.Type.InheritsFromOrEquals(_types.NavigationEntry) == true)
                    {
                        return new QueryOrigin(method.ReturnType, paged);
                    }

                    if (IsQueryOperatorContainer(containing) && IsDeferredSequence(method.ReturnType))
                    {
                        paged |= OffsetOperators.Contains(method.Name) ? QueryPaging.Offset : LimitOperators.Contains(method.Name) ? QueryPaging.Limit : QueryPaging.None;
                        operation = invocation.GetReceiver().WalkDownConversions();
                        continue;
                    }

                    if (IsDeferredSequence(method.ReturnType) && Summaries.ReturnsDatabaseQuery(method) is { Root: not null } returned)
                    {
                        return new QueryOrigin(returned.Root, paged | returned.Paging);
                    }

                    // spec.Apply(db.Set<T>()), query.WhereIf(..): a method that takes a query and returns a query composes over it.
                    if (method.ReturnType.Implements(_types.IQueryable))
                    {
                        foreach (var argument in invocation.Arguments)
                        {
                            if (argument.Value.Type.Implements(_types.IQueryable) && GetQueryOrigin(argument.Value, flow, depth + 1) is { Root: not null } composed)
                            {
                                return new QueryOrigin(composed.Root, paged | composed.Paging);
                            }
                        }
                    }

                    return default;

                // from p in db.Posts where .. select p: the method chain the query expression translates to.
                case ITranslatedQueryOperation translated:
                    operation = translated.Operation.WalkDownConversions();
                    continue;

                case ILocalReferenceOperation local when flow is not null:
                    var fromLocal = flow.GetQueryOrigin(local.Local, this, depth);
                    return fromLocal.Root is null ? default : new QueryOrigin(fromLocal.Root, paged | fromLocal.Paging);

                case IPropertyReferenceOperation { Property.GetMethod: { } getter } when IsDeferredSequence(operation.Type):
                    var fromProperty = Summaries.ReturnsDatabaseQuery(getter);
                    return fromProperty.Root is null ? default : new QueryOrigin(fromProperty.Root, paged | fromProperty.Paging);

                default:
                    return default;
            }
        }

        return default;
    }

    /// <summary>
    /// The database query whose results a loop walks: the collection itself, or the query a local was
    /// materialized from (<c>var posts = await db.Posts.ToListAsync(); foreach (var p in posts)</c>).
    /// </summary>
    public IOperation? FindMaterializedQuery(IOperation? collection, LocalDataFlow flow)
    {
        var operation = collection.WalkDownConversions();

        // books.Where(..).OrderBy(..): in-memory operators over a materialized list keep its elements.
        for (var depth = 0; depth < 16 && operation is IInvocationOperation inMemory && inMemory.TargetMethod.ContainingType.IsType(_types.Enumerable) && IsDeferredSequence(inMemory.TargetMethod.ReturnType) && inMemory.TargetMethod.Name is not ("Select" or "SelectMany"); depth++)
        {
            operation = inMemory.GetReceiver().WalkDownConversions();
        }

        if (operation is ILocalReferenceOperation local)
        {
            operation = null;
            foreach (var definition in flow.GetDefinitions(local.Local))
            {
                if (!definition.IsMutation)
                {
                    operation = definition.Value.WalkDownConversions();
                    break;
                }
            }
        }

        if (operation is IAwaitOperation awaited)
        {
            operation = awaited.Operation.WalkDownConversions();
        }

        if (operation is IInvocationOperation invocation && ExecutingOperators.Contains(StripAsync(invocation.TargetMethod.Name)) && IsQueryOperatorContainer(invocation.TargetMethod.ContainingType.OriginalDefinition))
        {
            operation = invocation.GetReceiver();
        }

        return IsDatabaseQuery(operation, flow) ? operation : null;
    }

    /// <summary>Does the query chain Include (or ThenInclude) the navigation called <paramref name="navigation"/>?</summary>
    public static bool QueryIncludes(IOperation query, LocalDataFlow? flow, string navigation)
    {
        var operation = query.WalkDownConversions();
        for (var depth = 0; operation is not null && depth < 32; depth++)
        {
            if (operation is ILocalReferenceOperation local && flow is not null)
            {
                foreach (var definition in flow.GetDefinitions(local.Local))
                {
                    if (!definition.IsMutation && definition.Value is not null && definition.Value != query && QueryIncludes(definition.Value, null, navigation))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (operation is not IInvocationOperation invocation)
            {
                return false;
            }

            if (invocation.TargetMethod.Name is "Include" or "ThenInclude")
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Value.Syntax.ToString().IndexOf(navigation, StringComparison.Ordinal) >= 0 && argument != invocation.Arguments[0])
                    {
                        return true;
                    }
                }
            }

            operation = invocation.GetReceiver().WalkDownConversions();
        }

        return false;
    }

    private bool IsQueryOperatorContainer(INamedTypeSymbol containing)
        => containing.IsType(_types.Queryable)
            || containing.IsType(_types.EfQueryableExtensions)
            || containing.IsType(_types.RelationalQueryableExtensions)
            || containing.IsType(_types.Enumerable)
            || (containing.Name == "AsyncEnumerable" && containing.ContainingNamespace?.ToDisplayString() == "System.Linq");

    /// <summary>IEnumerable/IQueryable/IAsyncEnumerable interfaces: sequences that run the query only when enumerated.</summary>
    private bool IsDeferredSequence(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Interface } named)
        {
            return false;
        }

        // One pass over the interfaces (each AllInterfaces call allocates): asked of every query step.
        if (IsSequenceInterface(named.OriginalDefinition))
        {
            return true;
        }

        foreach (var implemented in named.AllInterfaces)
        {
            if (IsSequenceInterface(implemented.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsSequenceInterface(INamedTypeSymbol type)
        => SymbolEqualityComparer.Default.Equals(type, _types.IEnumerableOfT) || SymbolEqualityComparer.Default.Equals(type, _types.IAsyncEnumerableOfT)
            || SymbolEqualityComparer.Default.Equals(type, _types.IQueryable);

    /// <summary>FirstAsync → First: EF's async operators are named after their sync twins.</summary>
    public static string StripAsync(string name)
        => name.EndsWith("Async", StringComparison.Ordinal) ? name.Substring(0, name.Length - 5) : name;

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    /// <summary>The SQL text of an argument: a constant, an interpolated string, or a local holding one.</summary>
    private static string? ResolveText(IOperation? sql, LocalDataFlow? flow)
    {
        sql = sql.WalkDownConversions();
        if (sql is ILocalReferenceOperation local && flow is not null)
        {
            foreach (var definition in flow.GetDefinitions(local.Local))
            {
                if (!definition.IsMutation && ResolveText(definition.Value, null) is { } text)
                {
                    return text;
                }
            }

            return null;
        }

        if (sql?.ConstantValue is { HasValue: true, Value: string constant })
        {
            return constant;
        }

        return sql is IInterpolatedStringOperation ? sql.Syntax.ToString() : null;
    }

    /// <summary>OFFSET / FETCH NEXT page through rows; LIMIT / TOP / FETCH FIRST bound them.</summary>
    private static QueryPaging SqlPaging(string? text)
    {
        if (text is null)
        {
            return QueryPaging.None;
        }

        var paging = QueryPaging.None;
        if (ContainsWord(text, "OFFSET"))
        {
            paging |= QueryPaging.Offset;
        }

        if (ContainsWord(text, "LIMIT") || ContainsWord(text, "TOP") || ContainsWord(text, "FETCH"))
        {
            paging |= QueryPaging.Limit;
        }

        return paging;
    }

    private static QueryPaging CommandPaging(IOperation? command, LocalDataFlow? flow)
    {
        if (command.GetRootLocal() is not { } local || flow is null)
        {
            return QueryPaging.None;
        }

        foreach (var definition in flow.GetDefinitions(local))
        {
            if (definition.Value is IObjectCreationOperation creation && creation.Arguments.Length > 0)
            {
                return SqlPaging(ResolveText(creation.Arguments[0].Value, flow));
            }

            if (definition.Site is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "CommandText" } } assignment)
            {
                return SqlPaging(ResolveText(assignment.Value, flow));
            }
        }

        return QueryPaging.None;
    }

    private static bool ContainsWord(string text, string word)
    {
        var index = 0;
        while ((index = text.IndexOf(word, index, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var before = index == 0 || !char.IsLetterOrDigit(text[index - 1]);
            var afterIndex = index + word.Length;
            var after = afterIndex >= text.Length || !char.IsLetterOrDigit(text[afterIndex]);
            if (before && after)
            {
                return true;
            }

            index = afterIndex;
        }

        return false;
    }
}

internal readonly struct QueryOrigin
{
    public QueryOrigin(ITypeSymbol? root, QueryPaging paging)
    {
        Root = root;
        Paging = paging;
    }

    /// <summary>The DbSet type (or raw-SQL query type) the query starts from; null when not a database query.</summary>
    public ITypeSymbol? Root { get; }

    public QueryPaging Paging { get; }
}
