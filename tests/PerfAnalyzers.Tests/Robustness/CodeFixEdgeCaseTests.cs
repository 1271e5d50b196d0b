using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace PerfAnalyzers.Tests.Robustness;

/// <summary>
/// Code fixes on the loop shapes a fix has to take apart: odd element types (anonymous, record, tuple, generic),
/// embedded statements, switch sections. Every fix offered must not throw, must add no compiler error, must
/// remove its diagnostic and keep comments outside the loop. Each shape is its own test, so a failure names it.
/// </summary>
[Collection(RobustnessCollection.Name)]
public sealed class CodeFixEdgeCaseTests
{
    private static readonly ImmutableDictionary<string, string> Cases = new Dictionary<string, string>
    {
        ["element of an anonymous type"] = """
public class C
{
    public async Task<List<string>> RunAsync(BlogDbContext db)
    {
        // the rows are projected to an anonymous type
        var rows = await db.Posts.Select(p => new { p.AuthorId, p.Author, p.Title }).ToListAsync();
        var names = new List<string>();
        foreach (var row in rows)
        {
            var author = await db.Users.FindAsync(row.AuthorId);
            names.Add(author.Name + row.Title);
        }

        return names;
    }
}
""",
        ["DbSet<T> of a type parameter"] = """
public class C
{
    public List<T> LoadAll<T>(BlogDbContext db, List<int> ids) where T : class
    {
        var result = new List<T>();
        foreach (var id in ids)
        {
            result.Add(db.Set<T>().Find(id)); // one Find per id
        }

        return result;
    }
}
""",
        ["FirstOrDefault over DbSet<T> of a constrained type parameter"] = """
public class C
{
    public async Task<List<T>> LoadAsync<T>(BlogDbContext db, List<int> ids) where T : Post
    {
        var result = new List<T>();
        foreach (var id in ids)
        {
            result.Add(await db.Set<T>().FirstOrDefaultAsync(p => p.AuthorId == id));
        }

        return result;
    }
}
""",
        ["element of a record type"] = """
public sealed record Row(int AuthorId, User Author, string Title);

public class C
{
    public List<string> Run(BlogDbContext db)
    {
        var rows = db.Posts.Select(p => new Row(p.AuthorId, p.Author, p.Title)).ToList();
        var names = new List<string>();
        foreach (var row in rows)
        {
            var author = db.Users.FirstOrDefault(u => u.Id == row.AuthorId);
            names.Add(author.Name + row.Title);
        }

        return names;
    }
}
""",
        ["element of a tuple type"] = """
public class C
{
    public List<string> Run(BlogDbContext db, List<(int AuthorId, string Title)> rows)
    {
        var names = new List<string>();
        foreach (var row in rows)
        {
            names.Add(db.Users.Find(row.AuthorId).Name + row.Title);
        }

        return names;
    }
}
""",
        ["loop body is an embedded statement"] = """
public class C
{
    public List<Post> Run(BlogDbContext db)
    {
        var posts = db.Posts.ToList();
        // fill in the authors
        foreach (var post in posts) post.Author = db.Users.Find(post.AuthorId); // N+1
        return posts;
    }
}
""",
        ["loop is the embedded statement of an if"] = """
public class C
{
    public List<Post> Run(BlogDbContext db, bool withAuthors)
    {
        var posts = db.Posts.ToList();
        if (withAuthors)
            foreach (var post in posts)
            {
                post.Author = db.Users.FirstOrDefault(u => u.Id == post.AuthorId);
            }

        return posts;
    }
}
""",
        ["loop in a switch section"] = """
public class C
{
    public List<string> Run(BlogDbContext db, int mode, List<Post> posts)
    {
        var names = new List<string>();
        switch (mode)
        {
            case 1:
                foreach (var post in posts)
                    names.Add(db.Users.Find(post.AuthorId)?.Name);
                break;
        }

        return names;
    }
}
""",
        ["element reused as a name the fix would pick"] = """
public class C
{
    public List<List<Comment>> Run(BlogDbContext db)
    {
        var c = 1;
        var commentsByPostId = new Dictionary<int, int>();
        var postIds = new List<int> { c };
        var posts = db.Posts.ToList();
        var result = new List<List<Comment>>();
        foreach (var p in posts)
        {
            result.Add(db.Comments.Where(x => x.PostId == p.Id).ToList());
        }

        return result;
    }
}
""",
        ["lookup key is the element of a HashSet"] = """
public class C
{
    public async Task<List<User>> Run(BlogDbContext db, HashSet<int> ids, CancellationToken ct)
    {
        var users = new List<User>();
        foreach (var id in ids)
        {
            users.Add(await db.Users.SingleAsync(u => u.Id == id, ct).ConfigureAwait(false));
        }

        return users;
    }
}
""",
    }.ToImmutableDictionary();

    private readonly ITestOutputHelper _output;

    public CodeFixEdgeCaseTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> CaseNames() => Cases.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task EveryOfferedFix_IsSafe(string name)
    {
        var project = await CodeFixHarness.CreateAsync(RobustnessEnvironment.WithTestModel("EdgeCase", RobustnessEnvironment.TestUsings + Cases[name]));
        var analysis = await CodeFixHarness.AnalyzeAsync(project);
        Assert.True(analysis.Failures.IsEmpty, "analyzer exception(s):\n" + string.Join("\n", analysis.Failures));

        var fixable = ShippedRules.CreateCodeFixProviders().SelectMany(p => p.FixableDiagnosticIds).ToHashSet(StringComparer.Ordinal);
        var diagnostics = analysis.Diagnostics.Where(d => fixable.Contains(d.Id) && d.Location.IsInSource).OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
        foreach (var diagnostic in diagnostics)
        {
            _output.WriteLine(AnalyzerRunner.Render(diagnostic));
        }

        var errors = await CodeFixHarness.CompilerErrorsAsync(project);
        Assert.True(errors.IsEmpty, "the case does not compile:\n" + string.Join("\n", errors));

        var problems = new List<string>();
        var applied = await CodeFixRobustnessTests.CheckEveryFixAsync(project, diagnostics, errors, problems, _output.WriteLine);
        _output.WriteLine($"{diagnostics.Length} fixable diagnostic(s), {applied} fix(es) applied");
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }
}
