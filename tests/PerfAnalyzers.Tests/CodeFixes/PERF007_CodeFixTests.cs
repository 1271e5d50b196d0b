using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using PerfAnalyzers.Tests.Infrastructure;
using Xunit;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.FilterAfterMaterializationAnalyzer, PerfAnalyzers.CodeFixes.FilterAfterMaterialization.FilterInDatabaseCodeFixProvider>;

namespace PerfAnalyzers.Tests.CodeFixes;

public class PERF007_CodeFixTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Blog;

""";

    [Fact]
    public async Task ToListWhereToList_WhereMovedBeforeSingleToList()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class Orders
{
    public List<Order> Big(BlogDbContext db)
        => {|PERF007:db.Orders.ToList()|}.Where(o => o.Total > 100).ToList();
}
""", Usings + """
class Orders
{
    public List<Order> Big(BlogDbContext db)
        => db.Orders.Where(o => o.Total > 100).ToList();
}
""");
    }

    [Fact]
    public async Task AwaitedToListAsync_WhereToList_BecomesAwaitedToListAsyncWithToken()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class Orders
{
    public async Task<List<Order>> BigAsync(BlogDbContext db, CancellationToken ct)
    {
        return (await {|PERF007:db.Orders.ToListAsync(ct)|}).Where(o => o.Total > 100 && !o.Shipped).ToList();
    }
}
""", Usings + """
class Orders
{
    public async Task<List<Order>> BigAsync(BlogDbContext db, CancellationToken ct)
    {
        return await db.Orders.Where(o => o.Total > 100 && !o.Shipped).ToListAsync(ct);
    }
}
""");
    }

    [Fact]
    public async Task LocalThenCount_AwaitedCountAsyncWithToken_DeclarationRemoved()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class Stats
{
    public async Task<int> ShippedAsync(BlogDbContext db, int buyerId, CancellationToken ct)
    {
        // All orders of the buyer.
        var orders = await {|PERF007:db.Orders.Where(o => o.BuyerId == buyerId).ToListAsync(ct)|};
        return orders.Count(o => o.Shipped);
    }
}
""", Usings + """
class Stats
{
    public async Task<int> ShippedAsync(BlogDbContext db, int buyerId, CancellationToken ct)
    {
        // All orders of the buyer.
        return await db.Orders.Where(o => o.BuyerId == buyerId).CountAsync(o => o.Shipped, ct);
    }
}
""");
    }

    [Fact]
    public async Task MultiLineChain_OrderBySkipTakeMoved_SelectStaysInMemory()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class Posts
{
    public List<string> Page(BlogDbContext db, int page, int size)
    {
        return {|PERF007:db.Posts
            .ToList()|}
            .OrderByDescending(p => p.CreatedAt)
            .Skip(page * size)
            .Take(size)
            .Select(p => p.Title.ToUpperInvariant())
            .ToList();
    }
}
""", Usings + """
class Posts
{
    public List<string> Page(BlogDbContext db, int page, int size)
    {
        return db.Posts
            .OrderByDescending(p => p.CreatedAt)
            .Skip(page * size)
            .Take(size).ToList()
            .Select(p => p.Title.ToUpperInvariant())
            .ToList();
    }
}
""");
    }

    [Fact]
    public async Task AsEnumerable_FirstOrDefault_RunsInDatabase()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class Settings
{
    public string Value(BlogDbContext db, string key)
        => {|PERF007:db.Settings.AsEnumerable()|}.FirstOrDefault(s => s.Key == key)?.Value;
}
""", Usings + """
class Settings
{
    public string Value(BlogDbContext db, string key)
        => db.Settings.FirstOrDefault(s => s.Key == key)?.Value;
}
""");
    }

    [Fact]
    public async Task TranslatableWhereThenLocalMethodWhere_OnlyTranslatablePartMoved_RestStillReported()
    {
        var test = new VerifyFix.Test
        {
            TestCode = Usings + """
class Products
{
    public List<Product> Cheap(BlogDbContext db, string prefix)
        => {|PERF007:db.Products.ToList()|}.Where(p => p.Sku.StartsWith(prefix)).Where(p => IsCheap(p)).ToList();

    private static bool IsCheap(Product p) => p.Price < 5;
}
""",
            FixedCode = Usings + """
class Products
{
    public List<Product> Cheap(BlogDbContext db, string prefix)
        => {|PERF007:db.Products.Where(p => p.Sku.StartsWith(prefix)).ToList()|}.Where(p => IsCheap(p)).ToList();

    private static bool IsCheap(Product p) => p.Price < 5;
}
""",
        };
        test.TestState.Sources.Add(("Model.cs", TestModel.Source));
        test.FixedState.Sources.Add(("Model.cs", TestModel.Source));
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AwaitedTerminalInsideExpression_ParenthesizedAwait()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class Stats
{
    public async Task<string> TotalAsync(BlogDbContext db)
        => (await {|PERF007:db.Orders.ToListAsync()|}).Sum(o => o.Total).ToString();
}
""", Usings + """
class Stats
{
    public async Task<string> TotalAsync(BlogDbContext db)
        => (await db.Orders.SumAsync(o => o.Total)).ToString();
}
""");
    }

    [Fact]
    public async Task NonTranslatablePredicates_NoFixOffered()
    {
        var source = Usings + """
class Users
{
    public List<User> Named(BlogDbContext db, string name)
        => {|PERF007:db.Users.ToList()|}.Where(u => u.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();

    public List<Post> WithAuthor(BlogDbContext db)
        => {|PERF007:db.Posts.ToList()|}.Where(p => p.Author.Name == "x").ToList();

    public List<Order> Ordered(BlogDbContext db)
        => {|PERF007:db.Orders.ToList()|}.OrderBy(o => o.Id, Comparer<int>.Default).ToList();

    public Order LastOne(BlogDbContext db)
        => {|PERF007:db.Orders.ToList()|}.Last();
}
""";
        await VerifyFix.CodeFixAsync(source, source);
    }

    [Fact]
    public async Task LocalUsedAfterAnotherStatement_NoFixOffered()
    {
        var source = Usings + """
class Stats
{
    public int Shipped(BlogDbContext db)
    {
        var orders = {|PERF007:db.Orders.ToList()|};
        db.SaveChanges();
        return orders.Count(o => o.Shipped);
    }
}
""";
        await VerifyFix.CodeFixAsync(source, source);
    }

    [Fact]
    public async Task FixAll_TwoSitesInOneDocument()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class Orders
{
    public async Task<bool> AnyBigAsync(BlogDbContext db, decimal min)
        => (await {|PERF007:db.Orders.ToListAsync()|}).Any(o => o.Total >= min);

    public int[] BigIds(BlogDbContext db, List<int> buyers)
        => {|PERF007:db.Orders.ToArray()|}.Where(o => buyers.Contains(o.BuyerId)).Select(o => o.Id).ToArray();
}
""", Usings + """
class Orders
{
    public async Task<bool> AnyBigAsync(BlogDbContext db, decimal min)
        => await db.Orders.AnyAsync(o => o.Total >= min);

    public int[] BigIds(BlogDbContext db, List<int> buyers)
        => db.Orders.Where(o => buyers.Contains(o.BuyerId)).ToArray().Select(o => o.Id).ToArray();
}
""");
    }
}
