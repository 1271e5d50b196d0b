using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using SampleApp.Data;

namespace SampleApp.Benchmarks;

/// <summary>
/// "Load 100 posts with their authors and comments", five ways. One operation = a fresh BlogDbContext + the load.
/// GlobalSetup seeds a new SQLite file database in a temp folder and asserts every shape's round-trip count.
/// </summary>
[MemoryDiagnoser]
public class LoadPostsBenchmarks
{
    private BlogDatabase _database = null!;

    [GlobalSetup]
    public void Setup()
    {
        _database = BlogDatabase.CreateSeeded();
        Shape.VerifyAll(_database, print: false);
    }

    [GlobalCleanup]
    public void Cleanup() => _database.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<List<Post>> NPlusOne_FindAsync()
    {
        await using var db = _database.NewContext();
        return await LoadPostsShapes.NPlusOneFindAsync(db);
    }

    [Benchmark]
    public async Task<List<Post>> NPlusOne_FirstOrDefaultAsync()
    {
        await using var db = _database.NewContext();
        return await LoadPostsShapes.NPlusOneFirstOrDefaultAsync(db);
    }

    [Benchmark]
    public async Task<List<Post>> Include()
    {
        await using var db = _database.NewContext();
        return await LoadPostsShapes.IncludeAsync(db);
    }

    [Benchmark]
    public async Task<List<Post>> Include_SplitQuery()
    {
        await using var db = _database.NewContext();
        return await LoadPostsShapes.IncludeSplitAsync(db);
    }

    [Benchmark]
    public async Task<List<Post>> BulkFetch()
    {
        await using var db = _database.NewContext();
        return await LoadPostsShapes.BulkFetchAsync(db);
    }
}
