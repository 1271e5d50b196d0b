using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace PerfAnalyzers.Core;

internal enum RoundTripKind
{
    /// <summary>Reads rows: an executed EF query, Find, Dapper Query*, ExecuteReader/Scalar, Fill.</summary>
    Query,
    /// <summary>Writes: SaveChanges, ExecuteUpdate/Delete, ExecuteSql, Dapper Execute, ExecuteNonQuery.</summary>
    Write,
}

/// <summary>How a query limits the rows it reads: a page (offset) or a fixed count (limit).</summary>
[System.Flags]
internal enum QueryPaging
{
    None = 0,
    /// <summary>Take, LIMIT, TOP, FETCH FIRST: a bounded number of rows.</summary>
    Limit = 1,
    /// <summary>Skip, OFFSET: a page further into the results.</summary>
    Offset = 2,
}

internal enum DataAccessLibrary
{
    EfCore,
    Dapper,
    AdoNet,
}

/// <summary>One database round trip recognised at an operation, directly or through methods of the compilation.</summary>
internal sealed class RoundTrip
{
    public RoundTrip(IOperation operation, RoundTripKind kind, DataAccessLibrary library, string target, ImmutableArray<string> via, QueryPaging paging, bool isFindByKey, bool isSaveChanges = false, bool mayWrite = false)
    {
        MayWrite = mayWrite || kind == RoundTripKind.Write;
        Operation = operation;
        Kind = kind;
        Library = library;
        Target = target;
        Via = via;
        Paging = paging;
        IsFindByKey = isFindByKey;
        IsSaveChanges = isSaveChanges;
    }

    /// <summary>The invocation (or the iterated query of a foreach) that makes the round trip.</summary>
    public IOperation Operation { get; }

    public RoundTripKind Kind { get; }

    public DataAccessLibrary Library { get; }

    /// <summary>The leaf call: <c>DbSet&lt;User&gt;.FindAsync</c>, <c>Dapper.QueryFirstAsync</c>.</summary>
    public string Target { get; }

    /// <summary>Methods of the compilation between the call site and the leaf, outermost first; empty for direct calls.</summary>
    public ImmutableArray<string> Via { get; }

    /// <summary>Whether the query reads a page (Skip/OFFSET) or a bounded count (Take/LIMIT/TOP).</summary>
    public QueryPaging Paging { get; }

    public bool IsPaged => Paging != QueryPaging.None;

    /// <summary>The leaf is <c>SaveChanges(Async)</c>: it writes whatever the iteration changed, whatever its arguments.</summary>
    public bool IsSaveChanges { get; }

    /// <summary><c>Find/FindAsync</c>: answered from the change tracker when the entity is already loaded.</summary>
    public bool IsFindByKey { get; }

    public bool IsInterprocedural => !Via.IsDefaultOrEmpty;

    /// <summary>Writes to the database: a write itself, or a call into a method that also writes (read, then save).</summary>
    public bool MayWrite { get; }

    public RoundTrip WithMayWrite() => new(Operation, Kind, Library, Target, Via, Paging, IsFindByKey, IsSaveChanges, mayWrite: true);

    /// <summary>For messages: <c>'DbSet&lt;User&gt;.FindAsync'</c> or <c>'IUserRepository.GetByIdAsync' via UserRepository.GetByIdAsync → DbSet&lt;User&gt;.FindAsync</c>.</summary>
    public string Describe()
    {
        if (Via.IsDefaultOrEmpty)
        {
            return "'" + Target + "'";
        }

        var chain = Via.Length > 1 ? string.Join(" → ", System.Linq.Enumerable.Skip(Via, 1)) + " → " + Target : Target;
        return "'" + Via[0] + "' via " + chain;
    }

    public RoundTrip ReachedThrough(IOperation callSite, string calledMethod)
        => new(callSite, Kind, Library, Target, Via.IsDefault ? ImmutableArray.Create(calledMethod) : Via.Insert(0, calledMethod), Paging, IsFindByKey, IsSaveChanges, MayWrite);
}
