using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.NPlusOneAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>PERF001 over Dapper and raw ADO.NET (SqliteCommand, NpgsqlCommand, DbCommand).</summary>
public class PERF001_DapperAdoNetTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Blog;

""";

    // ---------------------------------------------------------------- positives

    [Fact]
    public async Task ForeachOverCustomers_DapperQueryAsyncOrdersPerCustomer_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class OrderHistory
{
    private readonly IDbConnection _connection;
    public OrderHistory(IDbConnection connection) => _connection = connection;

    public async Task<Dictionary<int, List<Order>>> LoadAsync(IEnumerable<Customer> customers)
    {
        var result = new Dictionary<int, List<Order>>();
        foreach (var customer in customers)
        {
            var orders = await {|PERF001:_connection.QueryAsync<Order>("select * from orders where buyer_id = @BuyerId", new { BuyerId = customer.Id })|};
            result[customer.Id] = orders.ToList();
        }
        return result;
    }
}
""");
    }

    [Fact]
    public async Task ForLoopOverSkus_DapperQuerySingle_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class PriceList
{
    public decimal[] Prices(IDbConnection conn, string[] skus)
    {
        var prices = new decimal[skus.Length];
        for (var i = 0; i < skus.Length; i++)
        {
            prices[i] = {|PERF001:conn.QuerySingle<decimal>("select price from products where sku = @sku", new { sku = skus[i] })|};
        }
        return prices;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverLines_DapperExecuteAsyncInsertPerLine_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class OrderWriter
{
    public async Task SaveLinesAsync(NpgsqlConnection conn, Order order, IDbTransaction tx)
    {
        foreach (var line in order.Lines)
        {
            await {|PERF001:conn.ExecuteAsync(
                "insert into order_lines (order_id, product_id, quantity) values (@OrderId, @ProductId, @Quantity)",
                new { OrderId = order.Id, line.ProductId, line.Quantity },
                tx)|};
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverPosts_DapperExecuteScalarAsyncCount_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CommentStats
{
    public async Task<Dictionary<int, int>> CountAsync(DbConnection conn, List<Post> posts, CancellationToken ct)
    {
        var counts = new Dictionary<int, int>();
        foreach (var post in posts)
        {
            counts[post.Id] = await {|PERF001:conn.ExecuteScalarAsync<int>(new CommandDefinition("select count(*) from comments where post_id = @id", new { id = post.Id }, cancellationToken: ct))|};
        }
        return counts;
    }
}
""");
    }

    [Fact]
    public async Task SelectLambdaOverIds_DapperQueryFirstOrDefault_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class UserDirectory
{
    private const string Sql = "select id, name, email from users where id = @id";

    public List<User> Load(IDbConnection db, IEnumerable<int> ids)
        => ids.Select(id => {|PERF001:db.QueryFirstOrDefault<User>(Sql, new { id })|}).Where(u => u != null).ToList();
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_DynamicParametersBuiltPerIteration_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class AccountService
{
    public async Task<List<string>> EmailsAsync(IDbConnection conn, IEnumerable<int> userIds)
    {
        var emails = new List<string>();
        foreach (var userId in userIds)
        {
            var parameters = new DynamicParameters();
            parameters.Add("UserId", userId, DbType.Int32);
            var email = await {|PERF001:conn.QueryFirstOrDefaultAsync<string>("select email from users where id = @UserId", parameters)|};
            if (email != null) emails.Add(email);
        }
        return emails;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_NpgsqlCommandCreatedInLoop_ExecuteScalarAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class StockService
{
    private readonly NpgsqlDataSource _dataSource;
    public StockService(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public async Task<Dictionary<int, long>> StockAsync(IEnumerable<int> productIds, CancellationToken ct)
    {
        var stock = new Dictionary<int, long>();
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        foreach (var productId in productIds)
        {
            await using var cmd = new NpgsqlCommand("select coalesce(sum(quantity), 0) from stock where product_id = @id", conn);
            cmd.Parameters.AddWithValue("id", productId);
            stock[productId] = (long)await {|PERF001:cmd.ExecuteScalarAsync(ct)|};
        }
        return stock;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverSkus_SqliteCommandCreatedInLoop_ExecuteReader_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class LocalCatalog
{
    public List<Product> Lookup(SqliteConnection conn, IEnumerable<string> skus)
    {
        var products = new List<Product>();
        foreach (var sku in skus)
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "select id, sku, price from products where sku = $sku";
            cmd.Parameters.AddWithValue("$sku", sku);
            using var reader = {|PERF001:cmd.ExecuteReader()|};
            while (reader.Read())
            {
                products.Add(new Product { Id = reader.GetInt32(0), Sku = reader.GetString(1), Price = reader.GetDecimal(2) });
            }
        }
        return products;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_DbCommandCreateParameterPerIteration_ExecuteNonQueryAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class SessionCleaner
{
    public async Task ExpireAsync(DbConnection connection, IReadOnlyList<Guid> sessionIds)
    {
        foreach (var sessionId in sessionIds)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "delete from sessions where id = @id";
            var p = cmd.CreateParameter();
            p.ParameterName = "@id";
            p.Value = sessionId;
            cmd.Parameters.Add(p);
            await {|PERF001:cmd.ExecuteNonQueryAsync()|};
        }
    }
}
""");
    }

    [Fact]
    public async Task PreparedCommandOutsideLoop_ParameterValueSetPerIteration_ExecuteReaderAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class NameLookup
{
    public async Task<List<string>> NamesAsync(NpgsqlConnection conn, int[] ids)
    {
        var names = new List<string>();
        await using var cmd = new NpgsqlCommand("select name from users where id = @id", conn);
        cmd.Parameters.Add(new NpgsqlParameter("id", DbType.Int32));
        await cmd.PrepareAsync();
        foreach (var id in ids)
        {
            cmd.Parameters["id"].Value = id;
            await using var reader = await {|PERF001:cmd.ExecuteReaderAsync()|};
            if (await reader.ReadAsync()) names.Add(reader.GetString(0));
        }
        return names;
    }
}
""");
    }

    [Fact]
    public async Task WhileReaderReadAsync_DapperQueryPerRowOnSecondConnection_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class LegacyReport
{
    public async Task<List<string>> RunAsync(NpgsqlDataSource dataSource)
    {
        var lines = new List<string>();
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var lookup = await dataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("select id, buyer_id, total from orders where shipped = false", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var buyerId = reader.GetInt32(1);
            var buyer = await {|PERF001:lookup.QuerySingleOrDefaultAsync<string>("select name from customers where id = @buyerId", new { buyerId })|};
            lines.Add($"{reader.GetInt32(0)};{buyer};{reader.GetDecimal(2)}");
        }
        return lines;
    }
}
""");
    }

    [Fact]
    public async Task ForLoopOverIds_DapperLimitOnePerId_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class LatestOrderFinder
{
    public async Task<List<Order>> LatestAsync(IDbConnection conn, IReadOnlyList<int> customerIds)
    {
        var latest = new List<Order>();
        for (var i = 0; i < customerIds.Count; i++)
        {
            var order = await {|PERF001:conn.QueryFirstOrDefaultAsync<Order>(
                "select * from orders where buyer_id = @id order by id desc limit 1", new { id = customerIds[i] })|};
            if (order != null) latest.Add(order);
        }
        return latest;
    }
}
""");
    }

    // ---------------------------------------------------------------- negatives

    [Fact]
    public async Task DapperAnyArrayQueryBeforeLoop_ThenDictionaryLookup_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class BuyerNames
{
    public async Task<List<string>> ForAsync(NpgsqlConnection conn, List<Order> orders)
    {
        var ids = orders.Select(o => o.BuyerId).Distinct().ToArray();
        var customers = (await conn.QueryAsync<Customer>("select id, name from customers where id = any(@ids)", new { ids }))
            .ToDictionary(c => c.Id);
        var names = new List<string>();
        foreach (var order in orders)
        {
            names.Add(customers.TryGetValue(order.BuyerId, out var c) ? c.Name : "?");
        }
        return names;
    }
}
""");
    }

    [Fact]
    public async Task DapperLimitOffsetPagingWhileLoop_ConstSql_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class AuditExporter
{
    private const string PageSql = "select id, text from comments order by id limit @Limit offset @Offset";

    public async Task<int> ExportAsync(IDbConnection conn, Func<IEnumerable<Comment>, Task> sink)
    {
        const int pageSize = 1000;
        var offset = 0;
        var total = 0;
        while (true)
        {
            var page = (await conn.QueryAsync<Comment>(PageSql, new { Limit = pageSize, Offset = offset })).ToList();
            if (page.Count == 0) break;
            await sink(page);
            total += page.Count;
            offset += pageSize;
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task DapperLimitOffsetPagingWhileLoop_SqlInLocalVariable_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class UserExporter
{
    public async Task<List<User>> AllAsync(IDbConnection conn)
    {
        var sql = @"select id, name, email
                    from users
                    order by id
                    limit @Take offset @Skip";
        var all = new List<User>();
        var skip = 0;
        List<User> page;
        do
        {
            page = (await conn.QueryAsync<User>(sql, new { Take = 500, Skip = skip })).ToList();
            all.AddRange(page);
            skip += page.Count;
        }
        while (page.Count == 500);
        return all;
    }
}
""");
    }

    [Fact]
    public async Task DapperKeysetPagingWhileLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class OrderArchiver
{
    public async Task ArchiveAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var lastId = 0;
        while (!ct.IsCancellationRequested)
        {
            var batch = (await conn.QueryAsync<Order>(
                "select * from orders where shipped and id > @lastId order by id limit 500", new { lastId })).AsList();
            if (batch.Count == 0) break;
            await conn.ExecuteAsync("insert into orders_archive select * from orders where id = any(@ids)", new { ids = batch.Select(o => o.Id).ToArray() });
            lastId = batch[batch.Count - 1].Id;
        }
    }
}
""");
    }

    [Fact]
    public async Task WhileReaderReadAsync_MapsRowsInMemory_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CustomerReader
{
    public async Task<List<Customer>> ReadAllAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var customers = new List<Customer>();
        await using var cmd = new NpgsqlCommand("select id, name from customers where active", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt32(0);
            var name = reader.IsDBNull(1) ? null : reader.GetString(1);
            customers.Add(new Customer { Id = id, Name = name });
        }
        return customers;
    }
}
""");
    }

    [Fact]
    public async Task DapperExecuteWithListAfterLoopBuildsRows_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class LineWriter
{
    public async Task<int> WriteAsync(IDbConnection conn, Order order)
    {
        var rows = new List<object>();
        foreach (var line in order.Lines)
        {
            if (line.Quantity <= 0) continue;
            rows.Add(new { OrderId = order.Id, line.ProductId, line.Quantity });
        }
        return await conn.ExecuteAsync("insert into order_lines (order_id, product_id, quantity) values (@OrderId, @ProductId, @Quantity)", rows);
    }
}
""");
    }

    [Fact]
    public async Task AdoNetInListParametersBuiltInLoop_SingleExecuteAfter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class BulkPrices
{
    public Dictionary<int, decimal> Load(SqliteConnection conn, IReadOnlyList<int> ids)
    {
        using var cmd = conn.CreateCommand();
        var names = new List<string>();
        for (var i = 0; i < ids.Count; i++)
        {
            var name = "$p" + i;
            names.Add(name);
            cmd.Parameters.AddWithValue(name, ids[i]);
        }
        cmd.CommandText = "select id, price from products where id in (" + string.Join(",", names) + ")";
        var prices = new Dictionary<int, decimal>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            prices[reader.GetInt32(0)] = reader.GetDecimal(1);
        }
        return prices;
    }
}
""");
    }

    [Fact]
    public async Task LoopInvariantDapperQueryInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class TaxCalculator
{
    public async Task ApplyAsync(IDbConnection conn, List<Order> orders, string region)
    {
        foreach (var order in orders)
        {
            var rate = await conn.ExecuteScalarAsync<decimal>("select rate from tax_rates where region = @region", new { region });
            order.Total += order.Total * rate;
        }
    }
}
""");
    }

    [Fact]
    public async Task DapperRetryLoop_TryReturnCatchDelay_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ResilientReader
{
    public async Task<Customer> GetAsync(NpgsqlDataSource dataSource, int id)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync();
                return await conn.QuerySingleAsync<Customer>("select id, name from customers where id = @id", new { id });
            }
            catch (NpgsqlException ex) when (ex.IsTransient && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }
}
""");
    }

    [Fact]
    public async Task NpgsqlBinaryImportRowsInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ProductBulkLoader
{
    public async Task<ulong> LoadAsync(NpgsqlConnection conn, IEnumerable<Product> products, CancellationToken ct)
    {
        await using var importer = await conn.BeginBinaryImportAsync("COPY products (sku, price) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var product in products)
        {
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(product.Sku, ct);
            await importer.WriteAsync(product.Price, ct);
        }
        return await importer.CompleteAsync(ct);
    }
}
""");
    }

    [Fact]
    public async Task NpgsqlBatchCommandsAddedInLoop_ExecutedOnceAfter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class BatchDeleter
{
    public async Task<int> DeleteAsync(NpgsqlConnection conn, IEnumerable<int> ids)
    {
        await using var batch = new NpgsqlBatch(conn);
        foreach (var id in ids)
        {
            var command = new NpgsqlBatchCommand("delete from sessions where user_id = @id");
            command.Parameters.AddWithValue("id", id);
            batch.BatchCommands.Add(command);
        }
        return await batch.ExecuteNonQueryAsync();
    }
}
""");
    }

    [Fact]
    public async Task DapperQueryMultipleOnceThenLoopsOverGrids_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class DashboardReader
{
    public async Task<(List<Order> Orders, List<OrderLine> Lines)> ReadAsync(IDbConnection conn, int buyerId)
    {
        using var grid = await conn.QueryMultipleAsync(
            "select * from orders where buyer_id = @buyerId; select l.* from order_lines l join orders o on o.id = l.order_id where o.buyer_id = @buyerId",
            new { buyerId });
        var orders = (await grid.ReadAsync<Order>()).ToList();
        var lines = (await grid.ReadAsync<OrderLine>()).ToList();
        foreach (var order in orders)
        {
            order.Lines = lines.Where(l => l.OrderId == order.Id).ToList();
        }
        return (orders, lines);
    }
}
""");
    }

    [Fact]
    public async Task DapperMultiMappingQueryOnce_ThenLoopOverResults_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class OrderReader
{
    public async Task<List<string>> ReadAsync(IDbConnection conn, int[] orderIds)
    {
        var orders = await conn.QueryAsync<Order, Customer, Order>(
            "select o.*, c.* from orders o join customers c on c.id = o.buyer_id where o.id in @orderIds",
            (order, customer) => { order.Buyer = customer; return order; },
            new { orderIds },
            splitOn: "id");
        var lines = new List<string>();
        foreach (var order in orders)
        {
            lines.Add($"{order.Id};{order.Buyer.Name};{order.Total}");
        }
        return lines;
    }
}
""");
    }

    [Fact]
    public async Task AdoNetReaderWithNextResultAsyncLoops_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class MultiResultReader
{
    public async Task<List<List<int>>> ReadAsync(DbConnection conn, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "select id from users; select id from posts; select id from comments";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var sets = new List<List<int>>();
        do
        {
            var ids = new List<int>();
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetFieldValue<int>(0));
            }
            sets.Add(ids);
        }
        while (await reader.NextResultAsync(ct));
        return sets;
    }
}
""");
    }
}
