using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.RepeatedLookupAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

public class PERF004_RepeatedLookupTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Data;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Blog;

""";

    [Fact]
    public async Task ForeachOverOrders_SettingsFirstAsyncWithConstantKey_ReportsLoop()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Pricing
{
    public async Task ApplyAsync(BlogDbContext db, List<Order> orders)
    {
        foreach (var order in orders)
        {
            var tax = await {|#0:db.Settings.FirstAsync(s => s.Key == "tax")|};
            order.Total *= 1 + decimal.Parse(tax.Value);
        }
    }
}
""", VerifyCS.Diagnostic("PERF004").WithLocation(0).WithArguments("'DbSet<Setting>.FirstAsync'", "runs with the same arguments on every iteration of the foreach over 'orders'"));
    }

    [Fact]
    public async Task ForLoop_CountWithNoArguments_ReportsLoop()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Stats
{
    public int Sum(BlogDbContext db, int[] values)
    {
        var sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += values[i] * {|PERF004:db.Users.Count()|};
        }
        return sum;
    }
}
""");
    }

    [Fact]
    public async Task RepositoryCallWithInvariantArgument_InLoop_ReportsLoop()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface ICustomerRepository { Task<Customer> GetAsync(int id); }
public class CustomerRepository : ICustomerRepository
{
    private readonly BlogDbContext _db;
    public CustomerRepository(BlogDbContext db) => _db = db;
    public Task<Customer> GetAsync(int id) => _db.Customers.SingleAsync(c => c.Id == id);
}
public class Invoicer
{
    private readonly ICustomerRepository _customers;
    public Invoicer(ICustomerRepository customers) => _customers = customers;
    public async Task<List<string>> LinesAsync(int customerId, List<Order> orders)
    {
        var lines = new List<string>();
        foreach (var order in orders)
        {
            var customer = await {|PERF004:_customers.GetAsync(customerId)|};
            lines.Add(customer.Name + order.Total);
        }
        return lines;
    }
}
""");
    }

    [Fact]
    public async Task SameQueryTwiceInMethod_ReportsRepeatAsSuggestion()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Profile
{
    public async Task<string> DescribeAsync(BlogDbContext db, string email)
    {
        var user = await {|#1:db.Users.FirstOrDefaultAsync(u => u.Email == email)|};
        if (user is null) return "none";
        var again = await {|#0:db.Users.FirstOrDefaultAsync(u => u.Email == email)|};
        return again.Name;
    }
}
""", new Microsoft.CodeAnalysis.Testing.DiagnosticResult("PERF004", DiagnosticSeverity.Info).WithLocation(0).WithLocation(1)
        .WithArguments("'DbSet<User>.FirstOrDefaultAsync'", "repeats the same query already executed on line 14"));
    }

    [Fact]
    public async Task FindAsyncWithConstantKeyInLoop_ChangeTrackerAnswers_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Loader
{
    public async Task RunAsync(BlogDbContext db, List<Post> posts)
    {
        foreach (var post in posts)
        {
            var admin = await db.Users.FindAsync(1);
            post.Title = admin.Name;
        }
    }
}
""");
    }

    [Fact]
    public async Task ElementDependentLookup_IsPerf001_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Loader
{
    public async Task RunAsync(BlogDbContext db, List<Post> posts)
    {
        foreach (var post in posts)
        {
            var author = await db.Users.FirstOrDefaultAsync(u => u.Id == post.AuthorId);
        }
    }
}
""");
    }

    [Fact]
    public async Task PollingLoopWithDelay_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Poller
{
    public async Task WaitAsync(BlogDbContext db, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var pending = await db.Orders.CountAsync(o => !o.Shipped, ct);
            if (pending == 0) break;
            await Task.Delay(1000, ct);
        }
    }
}
""");
    }

    [Fact]
    public async Task QueueLoopWithSaveChanges_WriteChangesAnswer_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Worker
{
    public async Task DrainAsync(BlogDbContext db)
    {
        while (true)
        {
            var next = await db.Orders.FirstOrDefaultAsync(o => !o.Shipped);
            if (next is null) break;
            next.Shipped = true;
            await db.SaveChangesAsync();
        }
    }
}
""");
    }

    [Fact]
    public async Task RetryLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Reader
{
    public async Task<List<Product>> ReadAsync(BlogDbContext db)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                return await db.Products.ToListAsync();
            }
            catch (TimeoutException) when (attempt < 2)
            {
            }
        }
        return new List<Product>();
    }
}
""");
    }

    [Fact]
    public async Task RepeatInExclusiveBranches_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Profile
{
    public async Task<int> CountAsync(BlogDbContext db, bool admin)
    {
        if (admin)
        {
            return await db.Users.CountAsync();
        }
        else
        {
            return await db.Users.CountAsync() - 1;
        }
    }
}
""");
    }

    [Fact]
    public async Task RepeatAfterSaveChanges_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Profile
{
    public async Task<int> CountAsync(BlogDbContext db)
    {
        var before = await db.Users.AsNoTracking().CountAsync();
        db.Users.Add(new User { Name = "x" });
        await db.SaveChangesAsync();
        var after = await db.Users.AsNoTracking().CountAsync();
        return after - before;
    }
}
""");
    }

    [Fact]
    public async Task RepeatWithReassignedArgument_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Profile
{
    public async Task<User> TwoAsync(BlogDbContext db, string email)
    {
        var first = await db.Users.FirstOrDefaultAsync(u => u.Email == email);
        email = email.ToLowerInvariant();
        return first ?? await db.Users.FirstOrDefaultAsync(u => u.Email == email);
    }
}
""");
    }

    [Fact]
    public async Task DifferentArguments_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Profile
{
    public async Task<int> CountAsync(BlogDbContext db, int a, int b)
    {
        var x = await db.Posts.CountAsync(p => p.AuthorId == a);
        var y = await db.Posts.CountAsync(p => p.AuthorId == b);
        return x + y;
    }
}
""");
    }

    [Fact]
    public async Task PagingLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Exporter
{
    public async Task ExportAsync(IDbConnection conn)
    {
        var offset = 0;
        while (true)
        {
            var rows = (await conn.QueryAsync<Product>("select * from Products order by Id limit 100 offset @offset", new { offset })).ToList();
            if (rows.Count == 0) break;
            offset += rows.Count;
        }
    }
}
""");
    }

    [Fact]
    public async Task LoopRunsAtMostOnce_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Finder
{
    public async Task<Setting> FirstAsync(BlogDbContext db, List<int> ids)
    {
        foreach (var id in ids)
        {
            return await db.Settings.FirstAsync();
        }
        return null;
    }
}
""");
    }

    [Fact]
    public async Task TimeDependentQueryInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Monitor
{
    public async Task<int> SampleAsync(BlogDbContext db, int samples)
    {
        var total = 0;
        for (var i = 0; i < samples; i++)
        {
            total += await db.Posts.CountAsync(p => p.CreatedAt > DateTime.UtcNow.AddMinutes(-1));
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task InMemoryLookupInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Pricing
{
    public decimal Apply(List<Setting> settings, List<Order> orders)
    {
        decimal sum = 0;
        foreach (var order in orders)
        {
            var tax = settings.First(s => s.Key == "tax");
            sum += order.Total * decimal.Parse(tax.Value);
        }
        return sum;
    }
}
""");
    }
}
