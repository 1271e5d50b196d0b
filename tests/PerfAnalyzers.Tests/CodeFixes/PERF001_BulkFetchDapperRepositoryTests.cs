using System.Threading.Tasks;
using PerfAnalyzers.CodeFixes.NPlusOne;
using Xunit;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.NPlusOneAnalyzer, PerfAnalyzers.CodeFixes.NPlusOne.NPlusOneCodeFixProvider>;

namespace PerfAnalyzers.Tests.CodeFixes;

/// <summary>PERF001 "Fetch all in one query" for Dapper lookups and for repository methods with a bulk sibling.</summary>
public class PERF001_BulkFetchDapperRepositoryTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Data;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Blog;

""";

    private static Task FixAsync(string source, string fixedSource)
        => VerifyFix.CodeFixAsync(Usings + source, Usings + fixedSource, equivalenceKey: NPlusOneCodeFixProvider.BulkFetchKey);

    /// <summary>The site is reported, and "Fetch all in one query" leaves the code as it was (not offered).</summary>
    private static Task NotOfferedAsync(string source)
        => VerifyFix.CodeFixAsync(Usings + source, Usings + source, equivalenceKey: NPlusOneCodeFixProvider.BulkFetchKey);

    // ---------------------------------------------------------------- Dapper: offered

    [Fact]
    public async Task Dapper_QuerySingleOrDefaultAsyncPerPost_SqliteConnection_InListAndDictionary()
    {
        await FixAsync("""
class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:conn.QuerySingleOrDefaultAsync<User>("SELECT * FROM users WHERE id = @Id", new { Id = post.AuthorId })|};
        }
    }
}
""", """
class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts)
    {
        var authorIds = posts.Select(post => post.AuthorId).Distinct().ToList();
        var usersById = (await conn.QueryAsync<User>("SELECT * FROM users WHERE id IN @Ids", new { Ids = authorIds })).ToDictionary(u => u.Id);
        foreach (var post in posts)
        {
            post.Author = usersById.GetValueOrDefault(post.AuthorId);
        }
    }
}
""");
    }
}
