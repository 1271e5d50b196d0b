using System.Threading.Tasks;
using PerfAnalyzers.CodeFixes.RepeatedLookup;
using Xunit;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.RepeatedLookupAnalyzer, PerfAnalyzers.CodeFixes.RepeatedLookup.RepeatedLookupCodeFixProvider>;

namespace PerfAnalyzers.Tests.CodeFixes;

public class PERF004_CodeFixTests
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
    public async Task HoistFix_SettingLookupInForeach_MovedBeforeLoopWithAwaitAndToken()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class Pricing
{
    public async Task ApplyAsync(BlogDbContext db, List<Order> orders, CancellationToken ct)
    {
        foreach (var order in orders)
        {
            // Tax rate from settings.
            var tax = await {|PERF004:db.Settings.FirstAsync(s => s.Key == "tax", ct)|};
            order.Total *= 1 + decimal.Parse(tax.Value);
        }
    }
}
""", Usings + """
class Pricing
{
    public async Task ApplyAsync(BlogDbContext db, List<Order> orders, CancellationToken ct)
    {
        var setting = await db.Settings.FirstAsync(s => s.Key == "tax", ct);
        foreach (var order in orders)
        {
            // Tax rate from settings.
            var tax = setting;
            order.Total *= 1 + decimal.Parse(tax.Value);
        }
    }
}
""", equivalenceKey: RepeatedLookupCodeFixProvider.HoistKey);
    }

    [Fact]
    public async Task HoistFix_CountInsideExpression_FixAllTwoSites_DistinctNames()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class Stats
{
    public int Sum(BlogDbContext db, int[] values)
    {
        var sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += values[i] * {|PERF004:db.Users.Count()|} + {|PERF004:db.Posts.Count()|};
        }
        return sum;
    }
}
""", Usings + """
class Stats
{
    public int Sum(BlogDbContext db, int[] values)
    {
        var sum = 0;
        var count = db.Users.Count();
        var count2 = db.Posts.Count();
        for (var i = 0; i < values.Length; i++)
        {
            sum += values[i] * count + count2;
        }
        return sum;
    }
}
""", equivalenceKey: RepeatedLookupCodeFixProvider.HoistKey);
    }

    [Fact]
    public async Task ReuseFix_RepeatAfterLocal_UsesLocal()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class Profile
{
    public async Task<string> DescribeAsync(BlogDbContext db, string email)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email);
        if (user is null) return "none";
        var again = await {|PERF004:db.Users.FirstOrDefaultAsync(u => u.Email == email)|};
        return again.Name;
    }
}
""", Usings + """
class Profile
{
    public async Task<string> DescribeAsync(BlogDbContext db, string email)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email);
        if (user is null) return "none";
        var again = user;
        return again.Name;
    }
}
""", equivalenceKey: RepeatedLookupCodeFixProvider.ReuseKey);
    }
}
