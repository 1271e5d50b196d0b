using Dapper;
using Microsoft.Data.Sqlite;
using SampleApp.Data;
using SampleApp.Models;

namespace SampleApp.Repositories;

/// <summary>Read/write paths that bypass EF and talk to SQLite through Dapper.</summary>
public sealed class DapperOrderRepository
{
    private readonly string _connectionString;

    public DapperOrderRepository(string connectionString)
    {
        _connectionString = connectionString;
    }

    public async Task<OrderDetails?> GetOrderDetailsAsync(int orderId)
    {
        await using var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync();

        var order = await conn.QueryFirstOrDefaultAsync<OrderRow>(
            "select Id, CustomerId, Status from Orders where Id = @orderId", new { orderId });
        if (order is null)
        {
            return null;
        }

        var lines = await conn.QueryAsync<OrderLine>(
            "select Id, OrderId, ProductId, Quantity, UnitPrice from OrderLines where OrderId = @orderId", new { orderId });

        var items = new List<OrderItemDto>();
        foreach (var line in lines)
        {
            var product = await conn.QueryFirstOrDefaultAsync<Product>("select * from Products where Id = @id", new { id = line.ProductId }); // PERF001
            items.Add(new OrderItemDto(line.ProductId, product?.Name ?? "?", line.Quantity, line.UnitPrice));
        }

        return new OrderDetails(order.Id, order.CustomerId, order.Status, items);
    }

    public async Task<int> SetStatusAsync(int orderId, string status)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = new SqliteConnection(_connectionString);
                return await conn.ExecuteAsync("update Orders set Status = @status where Id = @orderId", new { status, orderId }); // ok: retry loop, one round trip per attempt
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 5 && attempt < 3) // SQLITE_BUSY
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt));
            }
        }
    }

    private sealed class OrderRow
    {
        public int Id { get; set; }
        public int CustomerId { get; set; }
        public string Status { get; set; } = "";
    }
}
