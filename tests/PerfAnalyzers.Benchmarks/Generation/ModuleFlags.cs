namespace PerfAnalyzers.Benchmarks.Generation;

/// <summary>
/// Which real findings module <c>i</c> carries. A pure function of the index, so every size is deterministic and
/// a larger size contains every module of a smaller one. Each shape is planted in a fraction of the modules;
/// where it is not planted the module has the fixed version of the same code (a look-alike) instead.
/// </summary>
public sealed record ModuleFlags(int Index)
{
    // PERF001 — N+1
    public bool N1ControllerQueryPerElement => Index % 2 == 0;
    public bool N1ServiceRepositoryPerElement => Index % 3 == 0;
    public bool N1DapperPerId => Index % 4 == 1;
    public bool N1JobSaveChangesPerElement => Index % 5 == 2;
    public bool N1MinimalApiCountPerElement => Index % 3 == 1;
    public bool N1FindInForLoop => Index % 7 == 3;
    public bool N1AdoNetScalarPerId => Index % 6 == 5;
    public bool N1WhenAllSelect => Index % 11 == 8;
    public bool N1MinimalApiSelectFind => Index % 13 == 6;

    // PERF004 — repeated lookups
    public bool P4InvariantQueryInLoop => Index % 2 == 1;
    public bool P4RepeatWithinMethod => Index % 5 == 0;
    public bool P4InvariantRepositoryCallInLoop => Index % 9 == 4;

    // PERF002 — awaited remote logging
    public bool P2ControllerAwaitsAudit => Index % 4 == 0;
    public bool P2MinimalApiAwaitsTelemetry => Index % 6 == 1;
    public bool P2ServiceOnRequestPath => Index % 5 == 3;

    // PERF003 — pooled resources per request
    public bool P3ControllerNewHttpClient => Index % 4 == 2;
    public bool P3LoopNewHttpClient => Index % 8 == 6;
    public bool P3DataSourceOnRequestPath => Index % 10 == 7;
    public bool P3MinimalApiNewHttpClient => Index % 7 == 0;

    // PERF005 — cache entries without an expiration
    public bool P5DistributedCacheWithoutOptions => Index % 4 == 3;
    public bool P5MemoryCacheSetInAction => Index % 5 == 1;

    // PERF006 — filters on columns without an index (Info)
    public bool P6UnindexedEqualityFilter => Index % 3 == 2;
    public bool P6UnindexedRangeCount => Index % 7 == 5;

    // PERF007 — filtering after materialization
    public bool P7FilterAfterToListAsync => Index % 4 == 0;
    public bool P7CountAfterMaterializedLocal => Index % 6 == 3;

    // PERF008 — remote HTTP call per iteration
    public bool P8HttpGetPerIdInMinimalApi => Index % 5 == 4;
    public bool P8HttpFanOutPerReference => Index % 8 == 5;

    /// <summary>Extra controller actions (mostly look-alikes); module 0's controller is the ~1,000-line IDE document.</summary>
    public int ExtraActions => Index == 0 ? HotDocumentExtraActions : 2 + Index % 3;

    public const int HotDocumentExtraActions = 48;
}
