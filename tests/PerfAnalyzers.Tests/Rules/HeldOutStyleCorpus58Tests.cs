using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using PerfAnalyzers.Tests.Infrastructure;
using Xunit;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>
/// An independent held-out-style corpus for PERF005-PERF008: a shop backend (controllers, minimal APIs, Razor Pages,
/// repositories, typed/Refit/gRPC clients, background jobs) written against the rule pages, not against the analyzers.
/// Every case runs all four analyzers over one shared EF Core model, so a look-alike for one rule also proves the
/// other three stay quiet, and a positive proves no other rule reports the same site.
/// </summary>
public class HeldOutStyleCorpus58Tests
{
    private const string Usings = """
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;
using Shop.Domain;
using Shop.Integrations;
using Shipping.V1;
using Order = Shop.Domain.Order;

""";

    /// <summary>
    /// The shop's EF Core model. Indexed: Customer.Email (unique, attribute), Category.Slug (unique, attribute),
    /// Order (TenantId, PlacedAt) (attribute) and Order.Number (fluent, unique), Product.Sku (fluent, unique) and
    /// Product.UpdatedAt (fluent), Shipment.TrackingNumber (attribute), AuditEntry (EntityType, EntityId) (OnModelCreating).
    /// Foreign keys by convention: Order.CustomerId, OrderItem.OrderId/ProductId, Product.CategoryId, Shipment.OrderId.
    /// Customer has a soft-delete query filter (a bool: it does not narrow).
    /// </summary>
    private const string Domain = """
using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Shop.Domain
{
    public enum OrderStatus { Draft, Placed, Paid, Shipped, Cancelled }

    [Index(nameof(Email), IsUnique = true)]
    public class Customer
    {
        public int Id { get; set; }
        public int TenantId { get; set; }
        public string Email { get; set; }
        public string DisplayName { get; set; }
        public string CountryCode { get; set; }
        public string LoyaltyTier { get; set; }
        public DateTime RegisteredAt { get; set; }
        public bool IsDeleted { get; set; }
        public List<Order> Orders { get; set; } = new();
    }

    [Index(nameof(Slug), IsUnique = true)]
    public class Category
    {
        public int Id { get; set; }
        public string Slug { get; set; }
        public string Name { get; set; }
        public List<Product> Products { get; set; } = new();
    }

    public class Product
    {
        public int Id { get; set; }
        public string Sku { get; set; }
        public string Name { get; set; }
        public int CategoryId { get; set; }
        public Category Category { get; set; }
        public decimal Price { get; set; }
        public int StockLevel { get; set; }
        public bool IsDiscontinued { get; set; }
        public DateTime UpdatedAt { get; set; }
    }

    [Index(nameof(TenantId), nameof(PlacedAt))]
    public class Order
    {
        public int Id { get; set; }
        public int TenantId { get; set; }
        public string Number { get; set; }
        public int CustomerId { get; set; }
        public Customer Customer { get; set; }
        public OrderStatus Status { get; set; }
        public decimal Total { get; set; }
        public DateTime PlacedAt { get; set; }
        public DateTime? ShippedAt { get; set; }
        public string TrackingNumber { get; set; }
        public string CouponCode { get; set; }
        public List<OrderItem> Items { get; set; } = new();
    }

    public class OrderItem
    {
        public int Id { get; set; }
        public int OrderId { get; set; }
        public Order Order { get; set; }
        public int ProductId { get; set; }
        public Product Product { get; set; }
        public int Quantity { get; set; }
        public decimal UnitPrice { get; set; }
    }

    [Index(nameof(TrackingNumber))]
    public class Shipment
    {
        public int Id { get; set; }
        public int OrderId { get; set; }
        public Order Order { get; set; }
        public string Carrier { get; set; }
        public string TrackingNumber { get; set; }
        public DateTime? DispatchedAt { get; set; }
    }

    public class AuditEntry
    {
        public long Id { get; set; }
        public string EntityType { get; set; }
        public string EntityId { get; set; }
        public string Actor { get; set; }
        public string Action { get; set; }
        public DateTime OccurredAt { get; set; }
    }

    public class ShopDbContext : DbContext
    {
        public ShopDbContext(DbContextOptions<ShopDbContext> options) : base(options) { }

        public DbSet<Customer> Customers => Set<Customer>();
        public DbSet<Category> Categories => Set<Category>();
        public DbSet<Product> Products => Set<Product>();
        public DbSet<Order> Orders => Set<Order>();
        public DbSet<OrderItem> OrderItems => Set<OrderItem>();
        public DbSet<Shipment> Shipments => Set<Shipment>();
        public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.ApplyConfigurationsFromAssembly(typeof(ShopDbContext).Assembly);
            modelBuilder.Entity<Customer>().HasQueryFilter(c => !c.IsDeleted);
            modelBuilder.Entity<AuditEntry>(b =>
            {
                b.HasIndex(a => new { a.EntityType, a.EntityId });
                b.Property(a => a.Action).HasMaxLength(64);
            });
        }
    }

    public sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
    {
        public void Configure(EntityTypeBuilder<Product> builder)
        {
            builder.HasIndex(p => p.Sku).IsUnique();
            builder.HasIndex(p => p.UpdatedAt);
            builder.Property(p => p.Price).HasPrecision(18, 2);
        }
    }

    public sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
    {
        public void Configure(EntityTypeBuilder<Order> builder)
        {
            builder.HasIndex(o => o.Number).IsUnique();
            builder.HasMany(o => o.Items).WithOne(i => i.Order).HasForeignKey(i => i.OrderId);
            builder.Property(o => o.Total).HasPrecision(18, 2);
        }
    }
}
""";

    /// <summary>Remote services the shop calls: a Refit catalog API, a typed inventory client and a gRPC shipping client.</summary>
    private const string Integrations = """
using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Refit;

namespace Shop.Integrations
{
    public sealed record ProductDto(int Id, string Sku, string Name, decimal Price);
    public sealed record StockDto(string Sku, int Available);
    public sealed record PagedResult<T>(List<T> Items, string Next);

    public interface ICatalogApi
    {
        [Get("/products/{id}")]
        Task<ProductDto> GetProductAsync(int id, CancellationToken ct = default);

        [Get("/products")]
        Task<List<ProductDto>> GetProductsAsync([Query(CollectionFormat.Multi)] IEnumerable<int> ids, CancellationToken ct = default);
    }

    public sealed class InventoryClient
    {
        private readonly HttpClient _http;
        public InventoryClient(HttpClient http) => _http = http;

        public Task<StockDto> GetStockAsync(string sku, CancellationToken ct = default)
            => _http.GetFromJsonAsync<StockDto>($"api/stock/{Uri.EscapeDataString(sku)}", ct);

        public async Task<List<StockDto>> GetStockBatchAsync(IEnumerable<string> skus, CancellationToken ct = default)
        {
            using var response = await _http.PostAsJsonAsync("api/stock/batch", skus, ct);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<List<StockDto>>(cancellationToken: ct);
        }
    }
}

namespace Shipping.V1
{
    public sealed class QuoteRequest { public string PostalCode { get; set; } = ""; public decimal WeightKg { get; set; } }
    public sealed class QuoteReply { public string Carrier { get; set; } = ""; public decimal Amount { get; set; } }
    public sealed class TrackRequest { public string TrackingNumber { get; set; } = ""; }
    public sealed class TrackReply { public string State { get; set; } = ""; }

    public static partial class ShippingService
    {
        private const string ServiceName = "shipping.v1.ShippingService";

        private static Marshaller<T> Json<T>() where T : class
            => Marshallers.Create(m => JsonSerializer.SerializeToUtf8Bytes(m), bytes => JsonSerializer.Deserialize<T>(bytes));

        private static readonly Method<QuoteRequest, QuoteReply> __Method_GetQuote =
            new Method<QuoteRequest, QuoteReply>(MethodType.Unary, ServiceName, "GetQuote", Json<QuoteRequest>(), Json<QuoteReply>());
        private static readonly Method<TrackRequest, TrackReply> __Method_Track =
            new Method<TrackRequest, TrackReply>(MethodType.Unary, ServiceName, "Track", Json<TrackRequest>(), Json<TrackReply>());

        public partial class ShippingServiceClient : ClientBase<ShippingServiceClient>
        {
            public ShippingServiceClient(ChannelBase channel) : base(channel) { }
            public ShippingServiceClient(CallInvoker callInvoker) : base(callInvoker) { }
            protected ShippingServiceClient() : base() { }
            protected ShippingServiceClient(ClientBaseConfiguration configuration) : base(configuration) { }

            public virtual AsyncUnaryCall<QuoteReply> GetQuoteAsync(QuoteRequest request, Metadata headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                => GetQuoteAsync(request, new CallOptions(headers, deadline, cancellationToken));
            public virtual AsyncUnaryCall<QuoteReply> GetQuoteAsync(QuoteRequest request, CallOptions options)
                => CallInvoker.AsyncUnaryCall(__Method_GetQuote, null, options, request);
            public virtual TrackReply Track(TrackRequest request, Metadata headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                => Track(request, new CallOptions(headers, deadline, cancellationToken));
            public virtual TrackReply Track(TrackRequest request, CallOptions options)
                => CallInvoker.BlockingUnaryCall(__Method_Track, null, options, request);
            protected override ShippingServiceClient NewInstance(ClientBaseConfiguration configuration) => new ShippingServiceClient(configuration);
        }
    }
}
""";

    /// <summary>PERF005-PERF008 over one source; expectations are the <c>{|PERF00n:...|}</c> markup in the code.</summary>
    private static Task Run(string code, params DiagnosticResult[] expected)
        => CorpusTest.RunAsync(CorpusTest.NextFourRules(), new[] { ("Domain.cs", Domain), ("Integrations.cs", Integrations) }, Usings + code, expected);

    // ================================================================================================
    // PERF005 — positives
    // ================================================================================================

    [Fact]
    public Task Controller_GetOrCreateAsyncFactorySetsOnlyPriority_Reports() => Run("""
namespace Shop.Api
{
    [ApiController]
    [Route("api/categories")]
    public sealed class CategoriesController : ControllerBase
    {
        private readonly ShopDbContext _db;
        private readonly IMemoryCache _cache;

        public CategoriesController(ShopDbContext db, IMemoryCache cache)
        {
            _db = db;
            _cache = cache;
        }

        [HttpGet("{slug}")]
        public async Task<ActionResult<Category>> GetBySlug(string slug, CancellationToken ct)
        {
            var category = await {|PERF005:_cache.GetOrCreateAsync($"category:{slug}", async entry =>
            {
                entry.Priority = CacheItemPriority.High;
                return await _db.Categories.AsNoTracking().FirstOrDefaultAsync(c => c.Slug == slug, ct);
            })|};
            return category is null ? NotFound() : category;
        }
    }
}
""");

    [Fact]
    public Task CartService_SetStringAsyncSerializedCartWithToken_NoOptions_Reports() => Run("""
namespace Shop.Carts
{
    public sealed record CartLine(string Sku, int Quantity);
    public sealed record Cart(string UserId, List<CartLine> Lines);

    public interface ICartStore
    {
        Task<Cart> LoadAsync(string userId, CancellationToken ct);
        Task SaveAsync(Cart cart, CancellationToken ct);
    }

    public sealed class DistributedCartStore : ICartStore
    {
        private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
        private readonly IDistributedCache _cache;

        public DistributedCartStore(IDistributedCache cache) => _cache = cache;

        public async Task<Cart> LoadAsync(string userId, CancellationToken ct)
        {
            var json = await _cache.GetStringAsync(CartKey(userId), ct);
            return json is null ? new Cart(userId, new List<CartLine>()) : JsonSerializer.Deserialize<Cart>(json, Json);
        }

        public Task SaveAsync(Cart cart, CancellationToken ct)
            => {|PERF005:_cache.SetStringAsync(CartKey(cart.UserId), JsonSerializer.Serialize(cart, Json), ct)|};

        private static string CartKey(string userId) => $"cart:{userId}";
    }
}
""");

    [Fact]
    public Task ProductReadModel_CacheAsideStringSetAsyncWithoutExpiry_Reports() => Run("""
namespace Shop.Catalog
{
    public sealed class ProductReadModel
    {
        private readonly IDatabase _redis;
        private readonly ShopDbContext _db;

        public ProductReadModel(IConnectionMultiplexer mux, ShopDbContext db)
        {
            _redis = mux.GetDatabase();
            _db = db;
        }

        public async Task<ProductDto> GetAsync(int id, CancellationToken ct)
        {
            var key = $"product:v2:{id}";
            var cached = await _redis.StringGetAsync(key);
            if (cached.HasValue)
            {
                return JsonSerializer.Deserialize<ProductDto>(cached.ToString());
            }

            var dto = await _db.Products.AsNoTracking()
                .Where(p => p.Id == id)
                .Select(p => new ProductDto(p.Id, p.Sku, p.Name, p.Price))
                .FirstOrDefaultAsync(ct);
            if (dto is not null)
            {
                await {|PERF005:_redis.StringSetAsync(key, JsonSerializer.Serialize(dto))|};
            }

            return dto;
        }
    }
}
""");

    [Fact]
    public Task MinimalApi_ExchangeRateTryGetValueThenSet_NoExpiration_Reports() => Run("""
namespace Shop.Api
{
    public interface IRatesProvider
    {
        Task<decimal> GetRateAsync(string currency, CancellationToken ct);
    }

    public static class RatesEndpoints
    {
        public static IEndpointRouteBuilder MapRates(this IEndpointRouteBuilder app)
        {
            app.MapGet("/api/rates/{currency}", async (string currency, IMemoryCache cache, IRatesProvider rates, CancellationToken ct) =>
            {
                var key = "fx:" + currency.ToUpperInvariant();
                if (cache.TryGetValue(key, out decimal rate))
                {
                    return Results.Ok(rate);
                }

                rate = await rates.GetRateAsync(currency, ct);
                {|PERF005:cache.Set(key, rate)|};
                return Results.Ok(rate);
            });
            return app;
        }
    }
}
""");

    [Fact]
    public Task BackgroundPriceWarmer_StringSetAsyncPerProductWithoutExpiry_Reports() => Run("""
namespace Shop.Jobs
{
    public sealed class PriceCacheWarmer : BackgroundService
    {
        private readonly IServiceScopeFactory _scopes;
        private readonly IConnectionMultiplexer _redis;

        public PriceCacheWarmer(IServiceScopeFactory scopes, IConnectionMultiplexer redis)
        {
            _scopes = scopes;
            _redis = redis;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                using var scope = _scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
                var redis = _redis.GetDatabase();
                var prices = await db.Products.AsNoTracking().Select(p => new { p.Sku, p.Price }).ToListAsync(stoppingToken);
                foreach (var price in prices)
                {
                    await {|PERF005:redis.StringSetAsync("price:" + price.Sku, price.Price.ToString(System.Globalization.CultureInfo.InvariantCulture))|};
                }
            }
        }
    }
}
""");

    [Fact]
    public Task RazorPage_ServiceGetOrCreateWithoutExpiration_ReportsOnRequestPath() => Run("""
namespace Shop.Web
{
    public sealed class NavigationMenu
    {
        private readonly IMemoryCache _cache;
        private readonly ShopDbContext _db;

        public NavigationMenu(IMemoryCache cache, ShopDbContext db)
        {
            _cache = cache;
            _db = db;
        }

        public List<string> TopCategories(int take)
            => {|PERF005:_cache.GetOrCreate("menu:top:" + take, _ => _db.Categories.OrderBy(c => c.Name).Take(take).Select(c => c.Name).ToList())|};
    }

    public sealed class IndexModel : PageModel
    {
        private readonly NavigationMenu _menu;
        public IndexModel(NavigationMenu menu) => _menu = menu;

        public List<string> Categories { get; private set; }

        public void OnGet() => Categories = _menu.TopCategories(8);
    }
}
""");

    [Fact]
    public Task PreferencesStore_HashGetAllMissRefilledWithHashSetAsync_Reports() => Run("""
namespace Shop.Customers
{
    public sealed class PreferencesCache
    {
        private readonly IDatabase _redis;
        private readonly ShopDbContext _db;

        public PreferencesCache(IConnectionMultiplexer mux, ShopDbContext db)
        {
            _redis = mux.GetDatabase();
            _db = db;
        }

        public async Task<Dictionary<string, string>> GetAsync(int customerId, CancellationToken ct)
        {
            var key = $"prefs:{customerId}";
            var entries = await _redis.HashGetAllAsync(key);
            if (entries.Length > 0)
            {
                return entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
            }

            var customer = await _db.Customers.AsNoTracking().FirstAsync(c => c.Id == customerId, ct);
            var prefs = new Dictionary<string, string>
            {
                ["country"] = customer.CountryCode,
                ["tier"] = customer.LoyaltyTier,
                ["name"] = customer.DisplayName,
            };
            await {|PERF005:_redis.HashSetAsync(key, prefs.Select(p => new HashEntry(p.Key, p.Value)).ToArray())|};
            return prefs;
        }
    }
}
""");

    // ================================================================================================
    // PERF005 — look-alikes that must stay quiet
    // ================================================================================================

    [Fact]
    public Task Controller_GetOrCreateAsyncExpirationFromIOptions_NoDiagnostic() => Run("""
namespace Shop.Api
{
    public sealed class CatalogCacheOptions
    {
        public TimeSpan ProductTtl { get; set; } = TimeSpan.FromMinutes(2);
    }

    [ApiController]
    [Route("api/products")]
    public sealed class ProductsController : ControllerBase
    {
        private readonly ShopDbContext _db;
        private readonly IMemoryCache _cache;
        private readonly IOptions<CatalogCacheOptions> _options;

        public ProductsController(ShopDbContext db, IMemoryCache cache, IOptions<CatalogCacheOptions> options)
        {
            _db = db;
            _cache = cache;
            _options = options;
        }

        [HttpGet("{id:int}")]
        public async Task<ActionResult<Product>> Get(int id, CancellationToken ct)
        {
            var product = await _cache.GetOrCreateAsync(("product", id), async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = _options.Value.ProductTtl;
                return await _db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
            });
            return product is null ? NotFound() : product;
        }
    }
}
""");

    [Fact]
    public Task Controller_SetWithStaticReadonlyOptionsField_NoDiagnostic() => Run("""
namespace Shop.Api
{
    [ApiController]
    [Route("api/customers")]
    public sealed class CustomerSummaryController : ControllerBase
    {
        private static readonly MemoryCacheEntryOptions SummaryEntry = new MemoryCacheEntryOptions()
            .SetSlidingExpiration(TimeSpan.FromMinutes(5))
            .SetAbsoluteExpiration(TimeSpan.FromHours(1));

        private readonly ShopDbContext _db;
        private readonly IMemoryCache _cache;

        public CustomerSummaryController(ShopDbContext db, IMemoryCache cache)
        {
            _db = db;
            _cache = cache;
        }

        [HttpGet("{id:int}/summary")]
        public async Task<IActionResult> Summary(int id, CancellationToken ct)
        {
            if (_cache.TryGetValue($"summary:{id}", out object cached))
            {
                return Ok(cached);
            }

            var summary = await _db.Orders.Where(o => o.CustomerId == id)
                .GroupBy(o => o.CustomerId)
                .Select(g => new { Orders = g.Count(), Spent = g.Sum(o => o.Total) })
                .FirstOrDefaultAsync(ct);
            _cache.Set($"summary:{id}", summary, SummaryEntry);
            return Ok(summary);
        }
    }
}
""");

    [Fact]
    public Task MinimalApi_SetWithTimeSpanAndDateTimeOffsetOverloads_NoDiagnostic() => Run("""
namespace Shop.Api
{
    public static class FeatureEndpoints
    {
        public static void MapFeatures(this IEndpointRouteBuilder app)
        {
            app.MapGet("/api/features/{name}", (string name, IMemoryCache cache, IConfiguration config) =>
            {
                var enabled = config.GetValue<bool>($"Features:{name}");
                cache.Set("feature:" + name, enabled, TimeSpan.FromSeconds(30));
                return Results.Ok(enabled);
            });

            app.MapGet("/api/banner", (IMemoryCache cache, TimeProvider clock) =>
            {
                var endOfDay = clock.GetUtcNow().Date.AddDays(1);
                var banner = "Free shipping until midnight";
                cache.Set("banner", banner, new DateTimeOffset(endOfDay, TimeSpan.Zero));
                return Results.Ok(banner);
            });
        }
    }
}
""");

    [Fact]
    public Task GenericDistributedCacheAside_TtlParameterInOptionsInitializer_NoDiagnostic() => Run("""
namespace Shop.Caching
{
    public interface IJsonCache
    {
        Task<T> GetOrAddAsync<T>(string key, Func<CancellationToken, Task<T>> factory, TimeSpan ttl, CancellationToken ct);
    }

    public sealed class DistributedJsonCache : IJsonCache
    {
        private readonly IDistributedCache _cache;
        public DistributedJsonCache(IDistributedCache cache) => _cache = cache;

        public async Task<T> GetOrAddAsync<T>(string key, Func<CancellationToken, Task<T>> factory, TimeSpan ttl, CancellationToken ct)
        {
            var json = await _cache.GetStringAsync(key, ct);
            if (json is not null)
            {
                return JsonSerializer.Deserialize<T>(json);
            }

            var value = await factory(ct);
            await _cache.SetStringAsync(key, JsonSerializer.Serialize(value), new DistributedCacheEntryOptions
            {
                AbsoluteExpirationRelativeToNow = ttl,
            }, ct);
            return value;
        }
    }

    [ApiController]
    public sealed class CountriesController : ControllerBase
    {
        private readonly IJsonCache _cache;
        private readonly ShopDbContext _db;

        public CountriesController(IJsonCache cache, ShopDbContext db)
        {
            _cache = cache;
            _db = db;
        }

        [HttpGet("api/customers/countries")]
        public Task<List<string>> Countries(CancellationToken ct)
            => _cache.GetOrAddAsync("countries", token => _db.Customers.Select(c => c.CountryCode).Distinct().ToListAsync(token), TimeSpan.FromHours(6), ct);
    }
}
""");

    [Fact]
    public Task RedisStringSetAsync_JitteredTtlFromHelper_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class StockSnapshotCache
    {
        private static readonly TimeSpan BaseTtl = TimeSpan.FromMinutes(3);
        private readonly IDatabase _redis;

        public StockSnapshotCache(IConnectionMultiplexer mux) => _redis = mux.GetDatabase();

        public Task<bool> StoreAsync(StockDto stock)
            => _redis.StringSetAsync($"stock:{stock.Sku}", JsonSerializer.Serialize(stock), expiry: WithJitter(BaseTtl));

        public Task<bool> StoreManyAsync(string warehouse, string json, TimeSpan? ttl)
            => _redis.StringSetAsync("stock:wh:" + warehouse, json, ttl ?? BaseTtl);

        private static TimeSpan WithJitter(TimeSpan ttl)
            => ttl + TimeSpan.FromSeconds(Random.Shared.Next(0, 30));
    }
}
""");

    [Fact]
    public Task Controller_SizeLimitedCacheEntriesWithSetSize_NoDiagnostic() => Run("""
namespace Shop.Api
{
    public sealed class SearchCache
    {
        public MemoryCache Cache { get; } = new MemoryCache(new MemoryCacheOptions { SizeLimit = 1024 });
    }

    [ApiController]
    [Route("api/search")]
    public sealed class SearchController : ControllerBase
    {
        private readonly SearchCache _search;
        private readonly ShopDbContext _db;

        public SearchController(SearchCache search, ShopDbContext db)
        {
            _search = search;
            _db = db;
        }

        [HttpGet]
        public async Task<List<int>> Search(string term, CancellationToken ct)
        {
            if (_search.Cache.TryGetValue(term, out List<int> ids))
            {
                return ids;
            }

            ids = await _db.Products.Where(p => p.Name.Contains(term)).Select(p => p.Id).Take(50).ToListAsync(ct);
            _search.Cache.Set(term, ids, new MemoryCacheEntryOptions().SetSize(1));
            return ids;
        }
    }
}
""");

    [Fact]
    public Task ActivityFeed_ListLeftPushThenTrim_NoPriorRead_NoDiagnostic() => Run("""
namespace Shop.Customers
{
    public sealed class ActivityFeed
    {
        private readonly IDatabase _redis;
        public ActivityFeed(IConnectionMultiplexer mux) => _redis = mux.GetDatabase();

        public async Task AppendAsync(int customerId, string activity)
        {
            var key = $"feed:{customerId}";
            await _redis.ListLeftPushAsync(key, JsonSerializer.Serialize(new { activity, at = DateTimeOffset.UtcNow }));
            await _redis.ListTrimAsync(key, 0, 99);
        }

        public async Task<List<string>> RecentAsync(int customerId)
        {
            var values = await _redis.ListRangeAsync($"feed:{customerId}", 0, 19);
            return values.Select(v => v.ToString()).ToList();
        }
    }
}
""");

    [Fact]
    public Task DistributedOptionsSetOnBothBranchesAfterCreation_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class PriceListCache
    {
        private readonly IDistributedCache _cache;
        public PriceListCache(IDistributedCache cache) => _cache = cache;

        public async Task StoreAsync(string listId, byte[] payload, bool isFlashSale, CancellationToken ct)
        {
            var options = new DistributedCacheEntryOptions();
            if (isFlashSale)
            {
                options.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30);
            }
            else
            {
                options.SlidingExpiration = TimeSpan.FromMinutes(20);
            }

            await _cache.SetAsync($"prices:{listId}", payload, options, ct);
        }
    }
}
""");

    [Fact]
    public Task RateLimiter_StringIncrementThenKeyExpireOnFirstHit_NoDiagnostic() => Run("""
namespace Shop.Api
{
    public sealed class RedisRateLimitMiddleware
    {
        private readonly RequestDelegate _next;
        private readonly IConnectionMultiplexer _redis;

        public RedisRateLimitMiddleware(RequestDelegate next, IConnectionMultiplexer redis)
        {
            _next = next;
            _redis = redis;
        }

        public async Task InvokeAsync(HttpContext context)
        {
            var db = _redis.GetDatabase();
            var key = $"rl:{context.Connection.RemoteIpAddress}:{DateTime.UtcNow:yyyyMMddHHmm}";
            var hits = await db.StringIncrementAsync(key);
            if (hits == 1)
            {
                await db.KeyExpireAsync(key, TimeSpan.FromMinutes(1));
            }

            if (hits > 100)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return;
            }

            await _next(context);
        }
    }
}
""");

    [Fact]
    public Task Controller_GetOrCreateSetsShortTtlOnlyForMisses_FactorySetsExpiration_NoDiagnostic() => Run("""
namespace Shop.Api
{
    [ApiController]
    public sealed class CouponsController : ControllerBase
    {
        private readonly ShopDbContext _db;
        private readonly IMemoryCache _cache;

        public CouponsController(ShopDbContext db, IMemoryCache cache)
        {
            _db = db;
            _cache = cache;
        }

        [HttpGet("api/orders/{number}/coupon")]
        public async Task<string> Coupon(string number, CancellationToken ct)
            => await _cache.GetOrCreateAsync("coupon:" + number, async entry =>
            {
                var coupon = await _db.Orders.Where(o => o.Number == number).Select(o => o.CouponCode).FirstOrDefaultAsync(ct);
                entry.SetAbsoluteExpiration(coupon is null ? TimeSpan.FromSeconds(30) : TimeSpan.FromMinutes(30));
                return coupon;
            });
    }
}
""");

    [Fact]
    public Task Controller_HybridCacheGetOrCreateAsyncWithoutOptions_NoDiagnostic() => Run("""
namespace Shop.Api
{
    [ApiController]
    public sealed class CategoryTreeController : ControllerBase
    {
        private readonly HybridCache _cache;
        private readonly ShopDbContext _db;

        public CategoryTreeController(HybridCache cache, ShopDbContext db)
        {
            _cache = cache;
            _db = db;
        }

        [HttpGet("api/category-tree")]
        public async Task<List<string>> Tree(CancellationToken ct)
            => await _cache.GetOrCreateAsync("category-tree",
                async token => await _db.Categories.OrderBy(c => c.Name).Select(c => c.Slug).ToListAsync(token),
                cancellationToken: ct);
    }
}
""");

    // ================================================================================================
    // PERF006 — positives (suggestions)
    // ================================================================================================

    [Fact]
    public Task CustomerRepository_ByCountryOrderedByName_ReportsCountryCode() => Run("""
namespace Shop.Data
{
    public interface ICustomerRepository
    {
        Task<IReadOnlyList<Customer>> ListByCountryAsync(string countryCode, CancellationToken ct);
    }

    public sealed class CustomerRepository : ICustomerRepository
    {
        private readonly ShopDbContext _db;
        public CustomerRepository(ShopDbContext db) => _db = db;

        public async Task<IReadOnlyList<Customer>> ListByCountryAsync(string countryCode, CancellationToken ct)
            => await _db.Customers
                .AsNoTracking()
                .Where(c => {|PERF006:c.CountryCode|} == countryCode)
                .OrderBy(c => c.DisplayName)
                .ToListAsync(ct);
    }
}
""");

    [Fact]
    public Task TrackingController_FirstOrDefaultAsyncByOrderTrackingNumber_Reports() => Run("""
namespace Shop.Api
{
    [ApiController]
    [Route("api/tracking")]
    public sealed class TrackingController : ControllerBase
    {
        private readonly ShopDbContext _db;
        public TrackingController(ShopDbContext db) => _db = db;

        [HttpGet("{code}")]
        public async Task<IActionResult> Find(string code, CancellationToken ct)
        {
            var order = await _db.Orders
                .Include(o => o.Items)
                .FirstOrDefaultAsync(o => {|PERF006:o.TrackingNumber|} == code, ct);
            if (order is null)
            {
                return NotFound();
            }

            var shipment = await _db.Shipments.FirstOrDefaultAsync(s => s.TrackingNumber == code, ct);
            return Ok(new { order.Number, order.Status, Carrier = shipment?.Carrier });
        }
    }
}
""");

    [Fact]
    public Task AuditLog_ByEntityIdAlone_SecondColumnOfCompositeIndex_Reports() => Run("""
namespace Shop.Admin
{
    public sealed class AuditQueries
    {
        private readonly ShopDbContext _db;
        public AuditQueries(ShopDbContext db) => _db = db;

        public Task<List<AuditEntry>> HistoryAsync(string entityType, string entityId, CancellationToken ct)
            => _db.AuditEntries
                .Where(a => a.EntityType == entityType && a.EntityId == entityId)
                .OrderByDescending(a => a.OccurredAt)
                .ToListAsync(ct);

        public Task<List<AuditEntry>> AnyTypeAsync(string entityId, CancellationToken ct)
            => _db.AuditEntries
                .Where(a => {|PERF006:a.EntityId|} == entityId)
                .OrderByDescending(a => a.OccurredAt)
                .Take(200)
                .ToListAsync(ct);
    }
}
""");

    [Fact]
    public Task RevenueReport_PlacedAtRangeWithoutTenant_SumAsync_ReportsOnce() => Run("""
namespace Shop.Reports
{
    public sealed record RevenueDay(DateTime Day, decimal Revenue);

    public sealed class RevenueReport
    {
        private readonly ShopDbContext _db;
        public RevenueReport(ShopDbContext db) => _db = db;

        public async Task<decimal> TotalAsync(DateTime from, DateTime to, CancellationToken ct)
            => await _db.Orders
                .Where(o => {|PERF006:o.PlacedAt|} >= from && o.PlacedAt < to)
                .Where(o => o.Status != OrderStatus.Cancelled)
                .SumAsync(o => o.Total, ct);
    }
}
""");

    [Fact]
    public Task RestockJob_ExecuteUpdateAsyncOnLowStockLevel_Reports() => Run("""
namespace Shop.Jobs
{
    public sealed class DiscontinueSoldOutJob
    {
        private readonly ShopDbContext _db;
        private readonly ILogger<DiscontinueSoldOutJob> _logger;

        public DiscontinueSoldOutJob(ShopDbContext db, ILogger<DiscontinueSoldOutJob> logger)
        {
            _db = db;
            _logger = logger;
        }

        public async Task RunAsync(CancellationToken ct)
        {
            var affected = await _db.Products
                .Where(p => {|PERF006:p.StockLevel|} <= 0)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.IsDiscontinued, true), ct);
            _logger.LogInformation("Discontinued {Count} sold-out products", affected);
        }
    }
}
""");

    [Fact]
    public Task MinimalApi_OptionalLoyaltyTierFilterBuiltInSteps_Reports() => Run("""
namespace Shop.Api
{
    public static class CustomerEndpoints
    {
        public static void MapCustomerSearch(this IEndpointRouteBuilder app)
        {
            app.MapGet("/api/customers", async (string tier, int? page, ShopDbContext db, CancellationToken ct) =>
            {
                IQueryable<Customer> query = db.Customers.AsNoTracking();
                if (!string.IsNullOrWhiteSpace(tier))
                {
                    query = query.Where(c => {|PERF006:c.LoyaltyTier|} == tier);
                }

                var pageIndex = Math.Max(page ?? 1, 1);
                var rows = await query
                    .OrderBy(c => c.Id)
                    .Skip((pageIndex - 1) * 50)
                    .Take(50)
                    .Select(c => new { c.Id, c.DisplayName, c.LoyaltyTier })
                    .ToListAsync(ct);
                return Results.Ok(rows);
            });
        }
    }
}
""");

    [Fact]
    public Task QuerySyntax_ProductsUnderPrice_ProjectedAndListed_Reports() => Run("""
namespace Shop.Catalog
{
    public sealed record BudgetItem(int Id, string Name, decimal Price);

    public sealed class BudgetCatalog
    {
        private readonly ShopDbContext _db;
        public BudgetCatalog(ShopDbContext db) => _db = db;

        public Task<List<BudgetItem>> UnderAsync(decimal maxPrice, CancellationToken ct)
            => (from p in _db.Products
                where {|PERF006:p.Price|} < maxPrice
                orderby p.Price
                select new BudgetItem(p.Id, p.Name, p.Price)).ToListAsync(ct);
    }
}
""");

    // ================================================================================================
    // PERF006 — look-alikes that must stay quiet
    // ================================================================================================

    [Fact]
    public Task KeyLookups_FindAsyncAndFirstOrDefaultById_NoDiagnostic() => Run("""
namespace Shop.Data
{
    public sealed class OrderLookup
    {
        private readonly ShopDbContext _db;
        public OrderLookup(ShopDbContext db) => _db = db;

        public ValueTask<Order> FindAsync(int id, CancellationToken ct) => _db.Orders.FindAsync(new object[] { id }, ct);

        public Task<Order> WithItemsAsync(int id, CancellationToken ct)
            => _db.Orders.Include(o => o.Items).ThenInclude(i => i.Product).FirstOrDefaultAsync(o => o.Id == id, ct);

        public Task<bool> ExistsAsync(int id, CancellationToken ct) => _db.Orders.AnyAsync(o => o.Id == id, ct);
    }
}
""");

    [Fact]
    public Task ForeignKeyScopedFilters_CustomerOrdersByStatusAndItemsOfOrder_NoDiagnostic() => Run("""
namespace Shop.Api
{
    [ApiController]
    [Route("api/customers/{customerId:int}/orders")]
    public sealed class CustomerOrdersController : ControllerBase
    {
        private readonly ShopDbContext _db;
        public CustomerOrdersController(ShopDbContext db) => _db = db;

        [HttpGet]
        public async Task<IActionResult> Open(int customerId, CancellationToken ct)
        {
            var open = await _db.Orders
                .Where(o => o.CustomerId == customerId && o.Status == OrderStatus.Placed && o.Total > 0)
                .OrderByDescending(o => o.PlacedAt)
                .ToListAsync(ct);
            return Ok(open);
        }

        [HttpGet("{orderId:int}/items")]
        public async Task<IActionResult> Items(int orderId, CancellationToken ct)
            => Ok(await _db.OrderItems.Where(i => i.OrderId == orderId && i.Quantity > 1).ToListAsync(ct));

        [HttpGet("/api/categories/{categoryId:int}/cheap")]
        public async Task<int> CheapInCategory(int categoryId, decimal below, CancellationToken ct)
            => await _db.Products.CountAsync(p => p.CategoryId == categoryId && p.Price < below, ct);
    }
}
""");

    [Fact]
    public Task TenantLeadingCompositeIndex_StatusAndRangeNarrowedByTenant_NoDiagnostic() => Run("""
namespace Shop.Reports
{
    public sealed class TenantDashboard
    {
        private readonly ShopDbContext _db;
        public TenantDashboard(ShopDbContext db) => _db = db;

        public async Task<object> BuildAsync(int tenantId, DateTime since, CancellationToken ct)
        {
            var placed = await _db.Orders.CountAsync(o => o.TenantId == tenantId && o.PlacedAt >= since, ct);
            var unpaid = await _db.Orders
                .Where(o => o.TenantId == tenantId)
                .Where(o => o.Status == OrderStatus.Placed)
                .SumAsync(o => o.Total, ct);
            var latest = await _db.Orders
                .Where(o => o.TenantId == tenantId && o.CouponCode == "WELCOME")
                .OrderByDescending(o => o.PlacedAt)
                .FirstOrDefaultAsync(ct);
            return new { placed, unpaid, latest?.Number };
        }
    }
}
""");

    [Fact]
    public Task UniqueEmailSkuAndIndexedUpdatedAt_NoDiagnostic() => Run("""
namespace Shop.Data
{
    public sealed class CatalogSync
    {
        private readonly ShopDbContext _db;
        public CatalogSync(ShopDbContext db) => _db = db;

        public Task<Customer> ByEmailAsync(string email, CancellationToken ct)
            => _db.Customers.SingleOrDefaultAsync(c => c.Email == email, ct);

        public Task<Product> BySkuAsync(string sku, CancellationToken ct)
            => _db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Sku == sku, ct);

        public Task<List<Product>> ChangedSinceAsync(DateTime since, CancellationToken ct)
            => _db.Products.Where(p => p.UpdatedAt > since).OrderBy(p => p.UpdatedAt).ToListAsync(ct);

        public Task<Category> CategoryAsync(string slug, CancellationToken ct)
            => _db.Categories.FirstOrDefaultAsync(c => c.Slug == slug, ct);

        public Task<Shipment> ShipmentAsync(string trackingNumber, CancellationToken ct)
            => _db.Shipments.FirstOrDefaultAsync(s => s.TrackingNumber == trackingNumber, ct);
    }
}
""");

    [Fact]
    public Task ContainsOverIdListsAndSkus_NoDiagnostic() => Run("""
namespace Shop.Data
{
    public sealed class BulkReads
    {
        private readonly ShopDbContext _db;
        public BulkReads(ShopDbContext db) => _db = db;

        public Task<List<Order>> OrdersAsync(IReadOnlyCollection<int> ids, CancellationToken ct)
            => _db.Orders.Where(o => ids.Contains(o.Id)).ToListAsync(ct);

        public Task<Dictionary<string, int>> StockAsync(string[] skus, CancellationToken ct)
            => _db.Products.Where(p => skus.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, p => p.StockLevel, ct);

        public Task<List<Customer>> OwnersAsync(List<int> customerIds, CancellationToken ct)
            => _db.Customers.Where(c => customerIds.Contains(c.Id)).ToListAsync(ct);
    }
}
""");

    [Fact]
    public Task TextSearch_EfFunctionsLikeAndStringContains_NoDiagnostic() => Run("""
namespace Shop.Api
{
    [ApiController]
    public sealed class CustomerLookupController : ControllerBase
    {
        private readonly ShopDbContext _db;
        public CustomerLookupController(ShopDbContext db) => _db = db;

        [HttpGet("api/customers/lookup")]
        public async Task<IActionResult> Lookup(string term, CancellationToken ct)
        {
            var byName = await _db.Customers
                .Where(c => EF.Functions.Like(c.DisplayName, "%" + term + "%"))
                .Take(20)
                .ToListAsync(ct);
            var byNote = await _db.Orders.Where(o => o.CouponCode.Contains(term)).Take(20).ToListAsync(ct);
            return Ok(new { byName, byNote });
        }
    }
}
""");

    [Fact]
    public Task RawSqlAndDapper_FilterInSql_NoDiagnostic() => Run("""
namespace Shop.Reports
{
    public sealed class StatusReport
    {
        private readonly ShopDbContext _db;
        private readonly NpgsqlDataSource _dataSource;

        public StatusReport(ShopDbContext db, NpgsqlDataSource dataSource)
        {
            _db = db;
            _dataSource = dataSource;
        }

        public Task<List<Order>> ByStatusAsync(OrderStatus status, CancellationToken ct)
            => _db.Orders.FromSqlInterpolated($"SELECT * FROM \"Orders\" WHERE \"Status\" = {(int)status}")
                .Where(o => o.Total > 100)
                .ToListAsync(ct);

        public async Task<IEnumerable<Customer>> ByTierAsync(string tier)
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            return await connection.QueryAsync<Customer>("SELECT * FROM \"Customers\" WHERE \"LoyaltyTier\" = @tier", new { tier });
        }
    }
}
""");

    [Fact]
    public Task NotEqualsNullTestsBoolFlagAndFunctionOnColumn_NoDiagnostic() => Run("""
namespace Shop.Jobs
{
    public sealed class ShippingBacklog
    {
        private readonly ShopDbContext _db;
        public ShippingBacklog(ShopDbContext db) => _db = db;

        public async Task<object> MeasureAsync(DateTime day, CancellationToken ct)
        {
            var unshipped = await _db.Orders.CountAsync(o => o.ShippedAt == null && o.Status != OrderStatus.Cancelled, ct);
            var discontinued = await _db.Products.IgnoreQueryFilters().CountAsync(p => p.IsDiscontinued, ct);
            var placedThatDay = await _db.Orders.CountAsync(o => o.PlacedAt.Date == day.Date, ct);
            var deleted = await _db.Customers.IgnoreQueryFilters().CountAsync(c => c.IsDeleted, ct);
            return new { unshipped, discontinued, placedThatDay, deleted };
        }
    }
}
""");

    [Fact]
    public Task NavigationPathFilters_CustomerCountryThroughOrder_NoDiagnostic() => Run("""
namespace Shop.Reports
{
    public sealed class CountrySales
    {
        private readonly ShopDbContext _db;
        public CountrySales(ShopDbContext db) => _db = db;

        public Task<decimal> ForCountryAsync(string countryCode, CancellationToken ct)
            => _db.Orders
                .Where(o => o.Customer.CountryCode == countryCode)
                .SumAsync(o => o.Total, ct);

        public Task<int> UnitsOfSkuAsync(string sku, CancellationToken ct)
            => _db.OrderItems.Where(i => i.Product.Sku == sku).SumAsync(i => i.Quantity, ct);
    }
}
""");

    // ================================================================================================
    // PERF007 — positives
    // ================================================================================================

    [Fact]
    public Task Controller_ToListAsyncThenWhereOrderByTakeInMemory_Reports() => Run("""
namespace Shop.Api
{
    [ApiController]
    [Route("api/deals")]
    public sealed class DealsController : ControllerBase
    {
        private readonly ShopDbContext _db;
        public DealsController(ShopDbContext db) => _db = db;

        [HttpGet]
        public async Task<List<Product>> Cheapest(decimal maxPrice, CancellationToken ct)
        {
            var products = await {|PERF007:_db.Products.AsNoTracking().ToListAsync(ct)|};
            return products
                .Where(p => p.Price <= maxPrice && !p.IsDiscontinued)
                .OrderBy(p => p.Price)
                .Take(20)
                .ToList();
        }
    }
}
""");

    [Fact]
    public Task OrderPolicy_ForeignKeyScopedToListThenAnyInMemory_Reports() => Run("""
namespace Shop.Orders
{
    public sealed class ReturnPolicy
    {
        private readonly ShopDbContext _db;
        public ReturnPolicy(ShopDbContext db) => _db = db;

        public bool HasPaidOrder(int customerId)
            => {|PERF007:_db.Orders.Where(o => o.CustomerId == customerId).ToList()|}.Any(o => o.Status == OrderStatus.Paid);
    }
}
""");

    [Fact]
    public Task LoyaltyStats_AwaitedToListAsyncInParenthesesThenCount_Reports() => Run("""
namespace Shop.Reports
{
    public sealed class LoyaltyStats
    {
        private readonly ShopDbContext _db;
        public LoyaltyStats(ShopDbContext db) => _db = db;

        public async Task<int> GoldMembersAsync(CancellationToken ct)
            => (await {|PERF007:_db.Customers.ToListAsync(ct)|}).Count(c => c.LoyaltyTier == "gold");
    }
}
""");

    [Fact]
    public Task ShipmentsByCarrier_AsEnumerableMidQueryThenTranslatableWhere_Reports() => Run("""
namespace Shop.Shipping
{
    public sealed record ShipmentRow(int OrderId, string TrackingNumber);

    public sealed class CarrierManifest
    {
        private readonly ShopDbContext _db;
        public CarrierManifest(ShopDbContext db) => _db = db;

        public List<ShipmentRow> For(string carrier)
            => {|PERF007:_db.Shipments.AsNoTracking().AsEnumerable()|}
                .Where(s => s.Carrier == carrier && s.DispatchedAt == null)
                .Select(s => new ShipmentRow(s.OrderId, s.TrackingNumber))
                .ToList();
    }
}
""");

    [Fact]
    public Task AuditPage_LocalOfAllRowsPagedWithSkipTake_Reports() => Run("""
namespace Shop.Admin
{
    public sealed class AuditPageModel : PageModel
    {
        private readonly ShopDbContext _db;
        public AuditPageModel(ShopDbContext db) => _db = db;

        public List<AuditEntry> Entries { get; private set; }

        public void OnGet(int pageNumber = 1)
        {
            const int pageSize = 25;
            var all = {|PERF007:_db.AuditEntries.OrderByDescending(a => a.OccurredAt).ToList()|};
            Entries = all.Skip((pageNumber - 1) * pageSize).Take(pageSize).ToList();
        }
    }
}
""");

    [Fact]
    public Task InvoiceTotal_ToArrayThenSumOfLineAmounts_Reports() => Run("""
namespace Shop.Billing
{
    public sealed class InvoiceCalculator
    {
        private readonly ShopDbContext _db;
        public InvoiceCalculator(ShopDbContext db) => _db = db;

        public decimal Subtotal(int orderId)
            => {|PERF007:_db.OrderItems.Where(i => i.OrderId == orderId).ToArray()|}.Sum(i => i.Quantity * i.UnitPrice);
    }
}
""");

    [Fact]
    public Task RepositoryQueryableProperty_MaterializedByServiceThenFirstOrDefault_Reports() => Run("""
namespace Shop.Data
{
    public interface IProductRepository
    {
        IQueryable<Product> Products { get; }
    }

    public sealed class EfProductRepository : IProductRepository
    {
        private readonly ShopDbContext _db;
        public EfProductRepository(ShopDbContext db) => _db = db;
        public IQueryable<Product> Products => _db.Products.AsNoTracking();
    }

    public sealed class ProductService
    {
        private readonly EfProductRepository _repository;
        public ProductService(EfProductRepository repository) => _repository = repository;

        public async Task<Product> ByNameAsync(string name, CancellationToken ct)
        {
            var products = await {|PERF007:_repository.Products.ToListAsync(ct)|};
            return products.FirstOrDefault(p => p.Name == name);
        }
    }
}
""");

    // ================================================================================================
    // PERF007 — look-alikes that must stay quiet
    // ================================================================================================

    [Fact]
    public Task CustomerStatement_MaterializedOrdersReusedForSeveralAggregates_NoDiagnostic() => Run("""
namespace Shop.Billing
{
    public sealed record Statement(int OrderCount, decimal Spent, int Open, List<Order> Orders);

    public sealed class StatementBuilder
    {
        private readonly ShopDbContext _db;
        public StatementBuilder(ShopDbContext db) => _db = db;

        public async Task<Statement> BuildAsync(int customerId, CancellationToken ct)
        {
            var orders = await _db.Orders.Where(o => o.CustomerId == customerId).OrderBy(o => o.PlacedAt).ToListAsync(ct);
            var spent = orders.Where(o => o.Status != OrderStatus.Cancelled).Sum(o => o.Total);
            var open = orders.Count(o => o.Status == OrderStatus.Placed);
            return new Statement(orders.Count, spent, open, orders);
        }
    }
}
""");

    [Fact]
    public Task PromoEligibility_AsEnumerableBeforeDomainMethodPredicate_NoDiagnostic() => Run("""
namespace Shop.Promotions
{
    public interface IPromotionRules
    {
        bool IsEligible(Product product);
    }

    public sealed class PromotionCatalog
    {
        private readonly ShopDbContext _db;
        private readonly IPromotionRules _rules;

        public PromotionCatalog(ShopDbContext db, IPromotionRules rules)
        {
            _db = db;
            _rules = rules;
        }

        public List<int> EligibleIds(int categoryId)
            => _db.Products
                .Where(p => p.CategoryId == categoryId)
                .AsEnumerable()
                .Where(p => _rules.IsEligible(p))
                .Select(p => p.Id)
                .ToList();
    }
}
""");

    [Fact]
    public Task RequestBodyLines_ToListOnInMemoryCollectionThenFilter_NoDiagnostic() => Run("""
namespace Shop.Api
{
    public sealed record CheckoutLine(string Sku, int Quantity, decimal UnitPrice);
    public sealed record CheckoutRequest(List<CheckoutLine> Lines, string Coupon);

    [ApiController]
    public sealed class CheckoutController : ControllerBase
    {
        [HttpPost("api/checkout/preview")]
        public IActionResult Preview(CheckoutRequest request)
        {
            var lines = request.Lines.ToList();
            var valid = lines.Where(l => l.Quantity > 0).OrderBy(l => l.Sku).ToList();
            var total = valid.Sum(l => l.Quantity * l.UnitPrice);
            var skus = request.Lines.Select(l => l.Sku).ToArray().Where(s => s.StartsWith("GIFT")).Count();
            return Ok(new { total, giftCards = skus });
        }
    }
}
""");

    [Fact]
    public Task ExportJob_AwaitForeachStreamingWithSkipInsideLoop_NoDiagnostic() => Run("""
namespace Shop.Jobs
{
    public sealed class OrderExport
    {
        private readonly ShopDbContext _db;
        public OrderExport(ShopDbContext db) => _db = db;

        public async Task<int> WriteAsync(int tenantId, System.IO.TextWriter writer, CancellationToken ct)
        {
            var written = 0;
            await foreach (var order in _db.Orders.AsNoTracking().Where(o => o.TenantId == tenantId).AsAsyncEnumerable().WithCancellation(ct))
            {
                if (order.Total <= 0)
                {
                    continue;
                }

                await writer.WriteLineAsync($"{order.Number};{order.Total}");
                written++;
            }

            return written;
        }
    }
}
""");

    [Fact]
    public Task NewestProducts_TakeBeforeMaterialization_ThenInMemoryFilter_NoDiagnostic() => Run("""
namespace Shop.Api
{
    [ApiController]
    public sealed class NewArrivalsController : ControllerBase
    {
        private readonly ShopDbContext _db;
        public NewArrivalsController(ShopDbContext db) => _db = db;

        [HttpGet("api/new-arrivals")]
        public async Task<List<Product>> Get(CancellationToken ct)
        {
            var latest = await _db.Products.OrderByDescending(p => p.UpdatedAt).Take(100).ToListAsync(ct);
            return latest.Where(p => p.StockLevel > 0).Take(12).ToList();
        }
    }
}
""");

    [Fact]
    public Task PriceLookup_ToDictionaryAfterIdFilteredLoad_NoDiagnostic() => Run("""
namespace Shop.Orders
{
    public sealed class CartPricer
    {
        private readonly ShopDbContext _db;
        public CartPricer(ShopDbContext db) => _db = db;

        public async Task<decimal> PriceAsync(IReadOnlyList<(int ProductId, int Quantity)> lines, CancellationToken ct)
        {
            var ids = lines.Select(l => l.ProductId).Distinct().ToList();
            var prices = (await _db.Products.Where(p => ids.Contains(p.Id)).ToListAsync(ct)).ToDictionary(p => p.Id, p => p.Price);
            return lines.Sum(l => prices[l.ProductId] * l.Quantity);
        }
    }
}
""");

    [Fact]
    public Task ItemsLoadedLoggedAndReturned_CountAlsoForLog_NoDiagnostic() => Run("""
namespace Shop.Orders
{
    public sealed class PickList
    {
        private readonly ShopDbContext _db;
        private readonly ILogger<PickList> _logger;

        public PickList(ShopDbContext db, ILogger<PickList> logger)
        {
            _db = db;
            _logger = logger;
        }

        public List<OrderItem> For(int orderId)
        {
            var items = _db.OrderItems.Include(i => i.Product).Where(i => i.OrderId == orderId).ToList();
            _logger.LogInformation("Order {OrderId}: {Bulky} bulky lines", orderId, items.Count(i => i.Quantity > 10));
            return items;
        }
    }
}
""");

    [Fact]
    public Task NavigationToListInsideProjection_NotAMaterialization_NoDiagnostic() => Run("""
namespace Shop.Api
{
    public sealed record CustomerOrders(int Id, string Name, List<decimal> Totals);

    [ApiController]
    public sealed class CustomerOrdersReportController : ControllerBase
    {
        private readonly ShopDbContext _db;
        public CustomerOrdersReportController(ShopDbContext db) => _db = db;

        [HttpGet("api/reports/customer-orders")]
        public Task<List<CustomerOrders>> Get(CancellationToken ct)
            => _db.Customers
                .OrderBy(c => c.Id)
                .Take(100)
                .Select(c => new CustomerOrders(c.Id, c.DisplayName, c.Orders.Where(o => o.Total > 0).Select(o => o.Total).ToList()))
                .ToListAsync(ct);
    }
}
""");

    [Fact]
    public Task DapperRowsFilteredInMemory_NotEfCore_NoDiagnostic() => Run("""
namespace Shop.Reports
{
    public sealed class LegacyInvoices
    {
        private readonly NpgsqlDataSource _dataSource;
        public LegacyInvoices(NpgsqlDataSource dataSource) => _dataSource = dataSource;

        public async Task<decimal> OverdueAsync(DateTime today)
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            var rows = (await connection.QueryAsync<(int Id, decimal Amount, DateTime DueOn)>("SELECT id, amount, due_on FROM invoices")).ToList();
            return rows.Where(r => r.DueOn < today).Sum(r => r.Amount);
        }
    }
}
""");

    // ================================================================================================
    // PERF008 — positives
    // ================================================================================================

    [Fact]
    public Task CartController_ForeachOverLines_TypedInventoryClientPerSku_Reports() => Run("""
namespace Shop.Api
{
    public sealed record CartLineDto(string Sku, int Quantity);

    [ApiController]
    [Route("api/cart")]
    public sealed class CartAvailabilityController : ControllerBase
    {
        private readonly InventoryClient _inventory;
        public CartAvailabilityController(InventoryClient inventory) => _inventory = inventory;

        [HttpPost("availability")]
        public async Task<IActionResult> Check(List<CartLineDto> lines, CancellationToken ct)
        {
            var missing = new List<string>();
            foreach (var line in lines)
            {
                var stock = await {|PERF008:_inventory.GetStockAsync(line.Sku, ct)|};
                if (stock is null || stock.Available < line.Quantity)
                {
                    missing.Add(line.Sku);
                }
            }

            return missing.Count == 0 ? Ok() : Conflict(missing);
        }
    }
}
""");

    [Fact]
    public Task OrderDetails_WhenAllSelectOverItems_RefitProductPerItem_Reports() => Run("""
namespace Shop.Orders
{
    public sealed class OrderDetailsAssembler
    {
        private readonly ShopDbContext _db;
        private readonly ICatalogApi _catalog;

        public OrderDetailsAssembler(ShopDbContext db, ICatalogApi catalog)
        {
            _db = db;
            _catalog = catalog;
        }

        public async Task<ProductDto[]> ProductsOfAsync(int orderId, CancellationToken ct)
        {
            var items = await _db.OrderItems.Where(i => i.OrderId == orderId).ToListAsync(ct);
            return await Task.WhenAll(items.Select(i => {|PERF008:_catalog.GetProductAsync(i.ProductId, ct)|}));
        }
    }
}
""");

    [Fact]
    public Task CheckoutQuotes_ForeachOverParcels_GrpcGetQuotePerParcel_Reports() => Run("""
namespace Shop.Checkout
{
    public sealed record Parcel(string Id, decimal WeightKg);

    public sealed class ShippingQuoter
    {
        private readonly ShippingService.ShippingServiceClient _shipping;
        public ShippingQuoter(ShippingService.ShippingServiceClient shipping) => _shipping = shipping;

        public async Task<decimal> QuoteAsync(string postalCode, IReadOnlyList<Parcel> parcels, CancellationToken ct)
        {
            decimal total = 0;
            foreach (var parcel in parcels)
            {
                var reply = await {|PERF008:_shipping.GetQuoteAsync(new QuoteRequest { PostalCode = postalCode, WeightKg = parcel.WeightKg }, cancellationToken: ct)|};
                total += reply.Amount;
            }

            return total;
        }
    }
}
""");

    [Fact]
    public Task CrmSyncJob_AwaitForeachOverCustomers_PostAsJsonPerCustomer_Reports() => Run("""
namespace Shop.Jobs
{
    public sealed class CrmSyncJob : BackgroundService
    {
        private readonly IServiceScopeFactory _scopes;
        private readonly IHttpClientFactory _clients;

        public CrmSyncJob(IServiceScopeFactory scopes, IHttpClientFactory clients)
        {
            _scopes = scopes;
            _clients = clients;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
            var crm = _clients.CreateClient("crm");
            await foreach (var customer in db.Customers.AsNoTracking().AsAsyncEnumerable())
            {
                using var response = await {|PERF008:crm.PostAsJsonAsync("contacts/upsert", new { customer.Id, customer.Email, customer.DisplayName }, stoppingToken)|};
                response.EnsureSuccessStatusCode();
            }
        }
    }
}
""");

    [Fact]
    public Task StatusRefresh_ForOverIdIndices_GetAsyncPerOrder_Reports() => Run("""
namespace Shop.Orders
{
    public sealed class FulfillmentStatusRefresher
    {
        private readonly HttpClient _http;
        public FulfillmentStatusRefresher(HttpClient http) => _http = http;

        public async Task<Dictionary<string, string>> RefreshAsync(IReadOnlyList<string> orderNumbers, CancellationToken ct)
        {
            var states = new Dictionary<string, string>();
            for (var i = 0; i < orderNumbers.Count; i++)
            {
                using var response = await {|PERF008:_http.GetAsync($"fulfillment/orders/{orderNumbers[i]}/status", ct)|};
                states[orderNumbers[i]] = await response.Content.ReadAsStringAsync(ct);
            }

            return states;
        }
    }
}
""");

    [Fact]
    public Task PriceConverter_LocalFunctionCallingHttpPerCurrency_Reports() => Run("""
namespace Shop.Pricing
{
    public sealed record FxRate(string Currency, decimal Rate);

    public sealed class MultiCurrencyPricer
    {
        private readonly HttpClient _fx;
        public MultiCurrencyPricer(HttpClient fx) => _fx = fx;

        public async Task<Dictionary<string, decimal>> ConvertAsync(decimal amount, IEnumerable<string> currencies, CancellationToken ct)
        {
            var result = new Dictionary<string, decimal>();
            foreach (var currency in currencies)
            {
                var rate = await {|PERF008:FetchRateAsync(currency)|};
                result[currency] = amount * rate.Rate;
            }

            return result;

            Task<FxRate> FetchRateAsync(string currency)
                => _fx.GetFromJsonAsync<FxRate>($"rates/EUR/{currency}", ct);
        }
    }
}
""");

    [Fact]
    public Task WebhookDispatcher_ForeachOverSubscribers_PostToEachCallback_Reports() => Run("""
namespace Shop.Webhooks
{
    public sealed record Subscription(Guid Id, Uri CallbackUrl, string Secret);
    public sealed record OrderShipped(int OrderId, string TrackingNumber);

    public interface ISubscriptionStore
    {
        Task<IReadOnlyList<Subscription>> ForEventAsync(string eventName, CancellationToken ct);
    }

    public sealed class WebhookDispatcher
    {
        private readonly HttpClient _http;
        private readonly ISubscriptionStore _subscriptions;

        public WebhookDispatcher(HttpClient http, ISubscriptionStore subscriptions)
        {
            _http = http;
            _subscriptions = subscriptions;
        }

        public async Task DispatchAsync(OrderShipped evt, CancellationToken ct)
        {
            var subscriptions = await _subscriptions.ForEventAsync("order.shipped", ct);
            foreach (var subscription in subscriptions)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, subscription.CallbackUrl)
                {
                    Content = JsonContent.Create(evt),
                };
                request.Headers.Add("X-Signature", subscription.Secret);
                using var response = await {|PERF008:_http.SendAsync(request, ct)|};
            }
        }
    }
}
""");

    // ================================================================================================
    // PERF008 — look-alikes that must stay quiet
    // ================================================================================================

    [Fact]
    public Task CatalogWarmup_ParallelForEachAsyncWithMaxDegree_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class CatalogMirror
    {
        private readonly ICatalogApi _catalog;
        private readonly ConcurrentDictionary<int, ProductDto> _mirror = new();

        public CatalogMirror(ICatalogApi catalog) => _catalog = catalog;

        public Task RefreshAsync(IEnumerable<int> productIds, CancellationToken ct)
            => Parallel.ForEachAsync(productIds, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (id, token) =>
            {
                _mirror[id] = await _catalog.GetProductAsync(id, token);
            });
    }
}
""");

    [Fact]
    public Task CartAvailability_SkusCollectedInLoop_OneBatchCallAfter_NoDiagnostic() => Run("""
namespace Shop.Api
{
    public sealed record BasketLine(string Sku, int Quantity);

    [ApiController]
    public sealed class BasketController : ControllerBase
    {
        private readonly InventoryClient _inventory;
        public BasketController(InventoryClient inventory) => _inventory = inventory;

        [HttpPost("api/basket/validate")]
        public async Task<IActionResult> Validate(List<BasketLine> lines, CancellationToken ct)
        {
            var skus = new List<string>();
            foreach (var line in lines)
            {
                if (line.Quantity > 0)
                {
                    skus.Add(line.Sku);
                }
            }

            var stock = await _inventory.GetStockBatchAsync(skus, ct);
            var bySku = stock.ToDictionary(s => s.Sku);
            var shortages = lines.Where(l => !bySku.TryGetValue(l.Sku, out var s) || s.Available < l.Quantity).Select(l => l.Sku).ToList();
            return Ok(shortages);
        }
    }
}
""");

    [Fact]
    public Task PartnerOrderImport_WhileFollowingNextLink_NoDiagnostic() => Run("""
namespace Shop.Jobs
{
    public sealed record PartnerOrder(string Number, decimal Total);

    public sealed class PartnerOrderImporter
    {
        private readonly HttpClient _partner;
        public PartnerOrderImporter(HttpClient partner) => _partner = partner;

        public async Task<List<PartnerOrder>> FetchAllAsync(DateTime since, CancellationToken ct)
        {
            var all = new List<PartnerOrder>();
            var url = $"orders?since={since:O}&limit=200";
            while (!string.IsNullOrEmpty(url))
            {
                var page = await _partner.GetFromJsonAsync<PagedResult<PartnerOrder>>(url, ct);
                all.AddRange(page.Items);
                url = page.Next;
            }

            return all;
        }
    }
}
""");

    [Fact]
    public Task ProductFetch_RetryLoopWithBackoff_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class ResilientCatalogReader
    {
        private readonly HttpClient _http;
        public ResilientCatalogReader(HttpClient http) => _http = http;

        public async Task<ProductDto> GetAsync(int id, CancellationToken ct)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await _http.GetFromJsonAsync<ProductDto>($"products/{id}", ct);
                }
                catch (HttpRequestException) when (attempt < 3)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
                }
            }
        }
    }
}
""");

    [Fact]
    public Task RefitBatchPerChunkOfIds_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class CatalogBulkReader
    {
        private readonly ICatalogApi _catalog;
        public CatalogBulkReader(ICatalogApi catalog) => _catalog = catalog;

        public async Task<List<ProductDto>> ReadAsync(IReadOnlyCollection<int> ids, CancellationToken ct)
        {
            var result = new List<ProductDto>(ids.Count);
            foreach (var chunk in ids.Chunk(100))
            {
                result.AddRange(await _catalog.GetProductsAsync(chunk, ct));
            }

            return result;
        }
    }
}
""");

    [Fact]
    public Task ForeachOverIds_TypedClientWithMemoryCacheAside_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class CachedCatalogClient
    {
        private readonly ICatalogApi _api;
        private readonly IMemoryCache _cache;

        public CachedCatalogClient(ICatalogApi api, IMemoryCache cache)
        {
            _api = api;
            _cache = cache;
        }

        public async Task<ProductDto> GetAsync(int id, CancellationToken ct)
        {
            if (_cache.TryGetValue(id, out ProductDto cached))
            {
                return cached;
            }

            var product = await _api.GetProductAsync(id, ct);
            _cache.Set(id, product, TimeSpan.FromMinutes(10));
            return product;
        }
    }

    [ApiController]
    public sealed class WishlistController : ControllerBase
    {
        private readonly CachedCatalogClient _catalog;
        public WishlistController(CachedCatalogClient catalog) => _catalog = catalog;

        [HttpPost("api/wishlist/resolve")]
        public async Task<List<ProductDto>> Resolve(List<int> productIds, CancellationToken ct)
        {
            var products = new List<ProductDto>();
            foreach (var id in productIds)
            {
                products.Add(await _catalog.GetAsync(id, ct));
            }

            return products;
        }
    }
}
""");

    [Fact]
    public Task RegionalHealth_ForeachOverConstantRegionArray_NoDiagnostic() => Run("""
namespace Shop.Ops
{
    public sealed class RegionHealth
    {
        private static readonly string[] Regions = { "eu-west", "us-east", "ap-south" };
        private readonly HttpClient _http;

        public RegionHealth(HttpClient http) => _http = http;

        public async Task<Dictionary<string, bool>> CheckAsync(CancellationToken ct)
        {
            var healthy = new Dictionary<string, bool>();
            foreach (var region in Regions)
            {
                using var response = await _http.GetAsync($"https://{region}.shop.internal/healthz", ct);
                healthy[region] = response.IsSuccessStatusCode;
            }

            return healthy;
        }
    }
}
""");

    [Fact]
    public Task ExportPolling_DelayThenStatusOfOneJob_NoDiagnostic() => Run("""
namespace Shop.Reports
{
    public sealed record ExportStatus(bool Done, string DownloadUrl);

    public sealed class ExportWaiter
    {
        private readonly HttpClient _reports;
        public ExportWaiter(HttpClient reports) => _reports = reports;

        public async Task<string> WaitForAsync(string jobId, CancellationToken ct)
        {
            var status = await _reports.GetFromJsonAsync<ExportStatus>($"exports/{jobId}", ct);
            while (!status.Done)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                status = await _reports.GetFromJsonAsync<ExportStatus>($"exports/{jobId}", ct);
            }

            return status.DownloadUrl;
        }
    }
}
""");

    [Fact]
    public Task ForeachOverLines_PricesFromOneRefitBatchDictionary_NoDiagnostic() => Run("""
namespace Shop.Checkout
{
    public sealed record QuoteLine(int ProductId, int Quantity);

    public sealed class QuoteService
    {
        private readonly ICatalogApi _catalog;
        public QuoteService(ICatalogApi catalog) => _catalog = catalog;

        public async Task<decimal> TotalAsync(IReadOnlyList<QuoteLine> lines, CancellationToken ct)
        {
            var products = await _catalog.GetProductsAsync(lines.Select(l => l.ProductId).Distinct(), ct);
            var byId = products.ToDictionary(p => p.Id);
            decimal total = 0;
            foreach (var line in lines)
            {
                total += byId[line.ProductId].Price * line.Quantity;
            }

            return total;
        }
    }
}
""");

    [Fact]
    public Task ForeachOverSkus_RedisBackedPriceClient_NotHttp_NoDiagnostic() => Run("""
namespace Shop.Pricing
{
    public sealed class PriceClient
    {
        private readonly IDatabase _redis;
        public PriceClient(IConnectionMultiplexer mux) => _redis = mux.GetDatabase();

        public async Task<decimal?> GetPriceAsync(string sku)
        {
            var value = await _redis.StringGetAsync("price:" + sku);
            return value.HasValue ? decimal.Parse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture) : null;
        }
    }

    public sealed class BasketPricer
    {
        private readonly PriceClient _prices;
        public BasketPricer(PriceClient prices) => _prices = prices;

        public async Task<decimal> PriceAsync(IEnumerable<(string Sku, int Quantity)> lines)
        {
            decimal total = 0;
            foreach (var (sku, quantity) in lines)
            {
                total += (await _prices.GetPriceAsync(sku) ?? 0m) * quantity;
            }

            return total;
        }
    }
}
""");

    // ================================================================================================
    // Second batch: harder shapes, PERF005
    // ================================================================================================

    [Fact]
    public Task MinimalApiMethodGroupHandler_MemoryCacheSetWithoutExpiration_Reports() => Run("""
namespace Shop.Api
{
    public static class ProductHandlers
    {
        public static async Task<IResult> GetStockAsync(string sku, IMemoryCache cache, InventoryClient inventory, CancellationToken ct)
        {
            if (cache.TryGetValue("stock:" + sku, out StockDto stock))
            {
                return Results.Ok(stock);
            }

            stock = await inventory.GetStockAsync(sku, ct);
            {|PERF005:cache.Set("stock:" + sku, stock)|};
            return Results.Ok(stock);
        }
    }

    public static class StockRoutes
    {
        public static void MapStock(this IEndpointRouteBuilder app)
            => app.MapGet("/api/stock/{sku}", ProductHandlers.GetStockAsync);
    }
}
""");

    [Fact]
    public Task ControllerThroughInterface_MemoryCacheImplementationSetsNoExpiration_ReportsOnRequestPath() => Run("""
namespace Shop.Catalog
{
    public interface ICategoryNames
    {
        string NameOf(int categoryId);
    }

    public sealed class MemoryCategoryNames : ICategoryNames
    {
        private readonly IMemoryCache _cache;
        private readonly ShopDbContext _db;

        public MemoryCategoryNames(IMemoryCache cache, ShopDbContext db)
        {
            _cache = cache;
            _db = db;
        }

        public string NameOf(int categoryId)
        {
            if (!_cache.TryGetValue(categoryId, out string name))
            {
                name = _db.Categories.Where(c => c.Id == categoryId).Select(c => c.Name).Single();
                {|PERF005:_cache.Set(categoryId, name)|};
            }

            return name;
        }
    }

    [ApiController]
    public sealed class BreadcrumbController : ControllerBase
    {
        private readonly ICategoryNames _names;
        public BreadcrumbController(ICategoryNames names) => _names = names;

        [HttpGet("api/breadcrumb/{categoryId:int}")]
        public string Get(int categoryId) => "Home / " + _names.NameOf(categoryId);
    }
}
""");

    [Fact]
    public Task SignalRHub_MemoryCacheSetPresenceWithoutExpiration_Reports() => Run("""
namespace Shop.Realtime
{
    public sealed class SupportHub : Microsoft.AspNetCore.SignalR.Hub
    {
        private readonly IMemoryCache _cache;
        public SupportHub(IMemoryCache cache) => _cache = cache;

        public Task Join(string ticketId)
        {
            {|PERF005:_cache.Set("ticket-agent:" + ticketId, Context.ConnectionId)|};
            return Groups.AddToGroupAsync(Context.ConnectionId, ticketId);
        }
    }
}
""");

    [Fact]
    public Task SetJsonAsyncExtension_SetStringAsyncWithoutOptions_ReportsInsideHelper() => Run("""
namespace Shop.Caching
{
    public static class DistributedCacheJsonExtensions
    {
        public static async Task<T> GetJsonAsync<T>(this IDistributedCache cache, string key, CancellationToken ct = default)
        {
            var json = await cache.GetStringAsync(key, ct);
            return json is null ? default : JsonSerializer.Deserialize<T>(json);
        }

        public static Task SetJsonAsync<T>(this IDistributedCache cache, string key, T value, CancellationToken ct = default)
            => {|PERF005:cache.SetStringAsync(key, JsonSerializer.Serialize(value), ct)|};
    }
}
""");

    [Fact]
    public Task RedisStringSetAsyncNamedWhenWithoutExpiry_Reports() => Run("""
namespace Shop.Customers
{
    public sealed class LastSeenTracker
    {
        private readonly IDatabase _redis;
        public LastSeenTracker(IConnectionMultiplexer mux) => _redis = mux.GetDatabase();

        public async Task<string> ProfileJsonAsync(int customerId, Func<Task<string>> load)
        {
            var key = $"profile-json:{customerId}";
            var json = await _redis.StringGetAsync(key);
            if (!json.IsNullOrEmpty)
            {
                return json;
            }

            var fresh = await load();
            await {|PERF005:_redis.StringSetAsync(key, fresh, when: When.Always, flags: StackExchange.Redis.CommandFlags.FireAndForget)|};
            return fresh;
        }
    }
}
""");

    [Fact]
    public Task SyncSetStringWithEmptyOptionsInitializer_Reports() => Run("""
namespace Shop.Catalog
{
    public sealed class SitemapCache
    {
        private readonly IDistributedCache _cache;
        public SitemapCache(IDistributedCache cache) => _cache = cache;

        public void Store(string xml)
            => {|PERF005:_cache.SetString("sitemap.xml", xml, new DistributedCacheEntryOptions())|};
    }
}
""");

    [Fact]
    public Task Controller_SetWithInstanceOptionsFieldFromIOptions_NoDiagnostic() => Run("""
namespace Shop.Api
{
    public sealed class ShippingCacheSettings
    {
        public int Minutes { get; set; } = 15;
    }

    [ApiController]
    public sealed class ShippingZonesController : ControllerBase
    {
        private readonly IMemoryCache _cache;
        private readonly MemoryCacheEntryOptions _entryOptions;

        public ShippingZonesController(IMemoryCache cache, IOptions<ShippingCacheSettings> settings)
        {
            _cache = cache;
            _entryOptions = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(settings.Value.Minutes) };
        }

        [HttpGet("api/shipping/zones/{country}")]
        public string Zone(string country)
        {
            var zone = country is "DE" or "FR" or "NL" ? "EU" : "WORLD";
            _cache.Set("zone:" + country, zone, _entryOptions);
            return zone;
        }
    }
}
""");

    [Fact]
    public Task Middleware_GetOrCreateWithAbsoluteExpirationDateTimeOffset_NoDiagnostic() => Run("""
namespace Shop.Api
{
    public sealed class TenantResolutionMiddleware
    {
        private readonly RequestDelegate _next;
        public TenantResolutionMiddleware(RequestDelegate next) => _next = next;

        public async Task InvokeAsync(HttpContext context, IMemoryCache cache, ShopDbContext db)
        {
            var host = context.Request.Host.Host;
            var tenantId = await cache.GetOrCreateAsync("tenant:" + host, async entry =>
            {
                entry.AbsoluteExpiration = DateTimeOffset.UtcNow.AddMinutes(30);
                return await db.Customers.Where(c => c.Email == "owner@" + host).Select(c => c.TenantId).FirstOrDefaultAsync();
            });
            context.Items["TenantId"] = tenantId;
            await _next(context);
        }
    }
}
""");

    [Fact]
    public Task Controller_MemoryOptionsLocalWithSizeOnly_NoDiagnostic() => Run("""
namespace Shop.Api
{
    [ApiController]
    public sealed class ThumbnailsController : ControllerBase
    {
        private readonly IMemoryCache _cache;
        private readonly IHttpClientFactory _clients;

        public ThumbnailsController(IMemoryCache cache, IHttpClientFactory clients)
        {
            _cache = cache;
            _clients = clients;
        }

        [HttpGet("api/thumbnails/{sku}")]
        public async Task<IActionResult> Get(string sku, CancellationToken ct)
        {
            if (!_cache.TryGetValue("thumb:" + sku, out byte[] bytes))
            {
                bytes = await _clients.CreateClient("images").GetByteArrayAsync($"thumbs/{sku}.webp", ct);
                var options = new MemoryCacheEntryOptions { Size = bytes.Length };
                _cache.Set("thumb:" + sku, bytes, options);
            }

            return File(bytes, "image/webp");
        }
    }
}
""");

    [Fact]
    public Task RedisBatch_StringSetAsyncThenKeyExpireAsyncQueued_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class CategoryCounterCache
    {
        private readonly IDatabase _redis;
        public CategoryCounterCache(IConnectionMultiplexer mux) => _redis = mux.GetDatabase();

        public async Task StoreAsync(IReadOnlyDictionary<string, int> countsBySlug)
        {
            var batch = _redis.CreateBatch();
            var pending = new List<Task>();
            foreach (var (slug, count) in countsBySlug)
            {
                var key = "category-count:" + slug;
                pending.Add(batch.StringSetAsync(key, count));
                pending.Add(batch.KeyExpireAsync(key, TimeSpan.FromMinutes(15)));
            }

            batch.Execute();
            await Task.WhenAll(pending);
        }
    }
}
""");

    [Fact]
    public Task RedisLockWithExpiryInTransactionAndLockTake_NoDiagnostic() => Run("""
namespace Shop.Jobs
{
    public sealed class InvoiceNumberAllocator
    {
        private readonly IDatabase _redis;
        public InvoiceNumberAllocator(IConnectionMultiplexer mux) => _redis = mux.GetDatabase();

        public async Task<bool> TryReserveAsync(string invoiceNumber, string owner)
        {
            var tx = _redis.CreateTransaction();
            tx.AddCondition(Condition.KeyNotExists("invoice-lock:" + invoiceNumber));
            _ = tx.StringSetAsync("invoice-lock:" + invoiceNumber, owner, TimeSpan.FromMinutes(2));
            var committed = await tx.ExecuteAsync();
            return committed && await _redis.LockTakeAsync("invoice-run", owner, TimeSpan.FromSeconds(30));
        }
    }
}
""");

    [Fact]
    public Task HostedServiceStartup_MemoryCacheSetOfReferenceData_NoDiagnostic() => Run("""
namespace Shop.Startup
{
    public sealed class CountryListLoader : IHostedService
    {
        private readonly IServiceProvider _services;
        private readonly IMemoryCache _cache;

        public CountryListLoader(IServiceProvider services, IMemoryCache cache)
        {
            _services = services;
            _cache = cache;
        }

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            using var scope = _services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
            var countries = await db.Customers.Select(c => c.CountryCode).Distinct().ToListAsync(cancellationToken);
            _cache.Set("countries", countries);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
""");

    // ================================================================================================
    // Second batch: harder shapes, PERF006
    // ================================================================================================

    [Fact]
    public Task CouponUsage_AnyAsyncByCouponCode_Reports() => Run("""
namespace Shop.Promotions
{
    public sealed class CouponValidator
    {
        private readonly ShopDbContext _db;
        public CouponValidator(ShopDbContext db) => _db = db;

        public async Task<bool> IsAlreadyRedeemedAsync(string code, CancellationToken ct)
            => await _db.Orders.AnyAsync(o => {|PERF006:o.CouponCode|} == code && o.Status != OrderStatus.Cancelled, ct);
    }
}
""");

    [Fact]
    public Task AuditRetention_ExecuteDeleteAsyncOlderThanCutoff_Reports() => Run("""
namespace Shop.Jobs
{
    public sealed class AuditRetentionJob : BackgroundService
    {
        private readonly IServiceScopeFactory _scopes;
        public AuditRetentionJob(IServiceScopeFactory scopes) => _scopes = scopes;

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromHours(24));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
                var cutoff = DateTime.UtcNow.AddDays(-90);
                await db.AuditEntries.Where(a => {|PERF006:a.OccurredAt|} < cutoff).ExecuteDeleteAsync(stoppingToken);
            }
        }
    }
}
""");

    [Fact]
    public Task StatusInListOfEnumValues_AndTotalRange_ReportsBoth() => Run("""
namespace Shop.Reports
{
    public sealed class HighValueOrders
    {
        private static readonly OrderStatus[] Settled = { OrderStatus.Paid, OrderStatus.Shipped };
        private readonly ShopDbContext _db;

        public HighValueOrders(ShopDbContext db) => _db = db;

        public Task<List<Order>> ListAsync(decimal min, decimal max, CancellationToken ct)
            => _db.Orders
                .Where(o => Settled.Contains({|PERF006:o.Status|}))
                .Where(o => {|PERF006:o.Total|} >= min && o.Total <= max)
                .OrderByDescending(o => o.Total)
                .ToListAsync(ct);
    }
}
""");

    [Fact]
    public Task NewCustomersSince_RangeOnRegisteredAtComputedBound_Reports() => Run("""
namespace Shop.Api
{
    [ApiController]
    public sealed class GrowthController : ControllerBase
    {
        private readonly ShopDbContext _db;
        public GrowthController(ShopDbContext db) => _db = db;

        [HttpGet("api/growth/new-customers")]
        public Task<int> NewCustomers(int days, CancellationToken ct)
            => _db.Customers.CountAsync(c => {|PERF006:c.RegisteredAt|} >= DateTime.UtcNow.AddDays(-days), ct);
    }
}
""");

    [Fact]
    public Task ShipmentsOfCarrier_ProjectionThenSingleOrDefault_Reports() => Run("""
namespace Shop.Shipping
{
    public sealed class CarrierStats
    {
        private readonly ShopDbContext _db;
        public CarrierStats(ShopDbContext db) => _db = db;

        public Task<DateTime?> LastDispatchAsync(string carrier, CancellationToken ct)
            => _db.Shipments
                .Where(s => {|PERF006:s.Carrier|} == carrier)
                .OrderByDescending(s => s.DispatchedAt)
                .Select(s => s.DispatchedAt)
                .FirstOrDefaultAsync(ct);
    }
}
""");

    [Fact]
    public Task SecondContextWithFluentIndexAndAttributeKey_NoDiagnostic() => Run("""
namespace Shop.Reporting
{
    public class ExchangeRate
    {
        [System.ComponentModel.DataAnnotations.Key]
        public string Code { get; set; }
        public decimal Rate { get; set; }
        public DateTime FetchedAt { get; set; }
    }

    public class ReportingDbContext : DbContext
    {
        public ReportingDbContext(DbContextOptions<ReportingDbContext> options) : base(options) { }

        public DbSet<ExchangeRate> Rates => Set<ExchangeRate>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
            => modelBuilder.Entity<ExchangeRate>().HasIndex(nameof(ExchangeRate.FetchedAt));
    }

    public sealed class RateReader
    {
        private readonly ReportingDbContext _db;
        public RateReader(ReportingDbContext db) => _db = db;

        public Task<ExchangeRate> ByCodeAsync(string code) => _db.Rates.FirstOrDefaultAsync(r => r.Code == code);

        public Task<List<ExchangeRate>> StaleAsync(DateTime before) => _db.Rates.Where(r => r.FetchedAt < before).ToListAsync();
    }
}
""");

    [Fact]
    public Task FunctionOnColumnAndPredicateFromSpecification_NoDiagnostic() => Run("""
namespace Shop.Data
{
    public sealed class CustomerFinder
    {
        private readonly ShopDbContext _db;
        public CustomerFinder(ShopDbContext db) => _db = db;

        public Task<Customer> ByNameIgnoringCaseAsync(string name, CancellationToken ct)
            => _db.Customers.FirstOrDefaultAsync(c => c.DisplayName.ToLower() == name.ToLower(), ct);

        public Task<List<Customer>> MatchingAsync(System.Linq.Expressions.Expression<Func<Customer, bool>> specification, CancellationToken ct)
            => _db.Customers.Where(specification).ToListAsync(ct);
    }
}
""");

    [Fact]
    public Task UnindexedFilterNarrowedByKeyInLaterWhere_NoDiagnostic() => Run("""
namespace Shop.Orders
{
    public sealed class OrderCancellation
    {
        private readonly ShopDbContext _db;
        public OrderCancellation(ShopDbContext db) => _db = db;

        public async Task<bool> CancelAsync(int orderId, CancellationToken ct)
        {
            var changed = await _db.Orders
                .Where(o => o.Status == OrderStatus.Placed)
                .Where(o => o.Id == orderId)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled), ct);
            return changed == 1;
        }
    }
}
""");

    // ================================================================================================
    // Second batch: harder shapes, PERF007
    // ================================================================================================

    [Fact]
    public Task CustomerSearch_ToListAsyncThenOrdinalIgnoreCaseWhere_Reports() => Run("""
namespace Shop.Api
{
    [ApiController]
    public sealed class CustomerSearchController : ControllerBase
    {
        private readonly ShopDbContext _db;
        public CustomerSearchController(ShopDbContext db) => _db = db;

        [HttpGet("api/customers/by-country")]
        public async Task<List<Customer>> ByCountry(string country, CancellationToken ct)
        {
            var customers = await {|PERF007:_db.Customers.AsNoTracking().ToListAsync(ct)|};
            return customers
                .Where(c => string.Equals(c.CountryCode, country, StringComparison.OrdinalIgnoreCase))
                .ToList();
        }
    }
}
""");

    [Fact]
    public Task AnonymousProjectionMaterializedThenFiltered_Reports() => Run("""
namespace Shop.Catalog
{
    public sealed class SkuSuggestions
    {
        private readonly ShopDbContext _db;
        public SkuSuggestions(ShopDbContext db) => _db = db;

        public List<string> Suggest(string prefix)
            => {|PERF007:_db.Products.Select(p => new { p.Sku, p.Name }).ToList()|}
                .Where(x => x.Sku.StartsWith(prefix))
                .Select(x => x.Sku + " " + x.Name)
                .ToList();
    }
}
""");

    [Fact]
    public Task OrderCount_ToListThenCountWithoutPredicate_Reports() => Run("""
namespace Shop.Reports
{
    public sealed class BacklogCounter
    {
        private readonly ShopDbContext _db;
        public BacklogCounter(ShopDbContext db) => _db = db;

        public int OpenForCustomer(int customerId)
            => {|PERF007:_db.Orders.Where(o => o.CustomerId == customerId && o.ShippedAt == null).ToList()|}.Count();
    }
}
""");

    [Fact]
    public Task LocalRowsFilteredIntoSecondLocalThenReturned_Reports() => Run("""
namespace Shop.Orders
{
    public sealed class LargeOrderFinder
    {
        private readonly ShopDbContext _db;
        public LargeOrderFinder(ShopDbContext db) => _db = db;

        public async Task<List<OrderItem>> BulkLinesAsync(int orderId, CancellationToken ct)
        {
            var lines = await {|PERF007:_db.OrderItems.Where(i => i.OrderId == orderId).ToListAsync(ct)|};
            var bulk = lines.Where(i => i.Quantity >= 10).OrderBy(i => i.ProductId).ToList();
            return bulk;
        }
    }
}
""");

    [Fact]
    public Task LoadedNavigationCollectionFilteredInMemory_NoDiagnostic() => Run("""
namespace Shop.Orders
{
    public sealed class OrderView
    {
        private readonly ShopDbContext _db;
        public OrderView(ShopDbContext db) => _db = db;

        public async Task<object> DetailsAsync(int orderId, CancellationToken ct)
        {
            var order = await _db.Orders.Include(o => o.Items).SingleAsync(o => o.Id == orderId, ct);
            var bulky = order.Items.ToList().Where(i => i.Quantity > 5).Count();
            return new { order.Number, bulky };
        }
    }
}
""");

    [Fact]
    public Task RawSqlAsEnumerableThenWhere_NoDiagnostic() => Run("""
namespace Shop.Reports
{
    public sealed class LegacyReport
    {
        private readonly ShopDbContext _db;
        public LegacyReport(ShopDbContext db) => _db = db;

        public List<Product> LowStock(int threshold)
            => _db.Products.FromSqlRaw("EXEC dbo.ProductsNeedingReview")
                .AsEnumerable()
                .Where(p => p.StockLevel < threshold)
                .ToList();
    }
}
""");

    [Fact]
    public Task MaterializedListIteratedAndFiltered_MultipleUses_NoDiagnostic() => Run("""
namespace Shop.Jobs
{
    public sealed class ReorderPlanner
    {
        private readonly ShopDbContext _db;
        private readonly ILogger<ReorderPlanner> _logger;

        public ReorderPlanner(ShopDbContext db, ILogger<ReorderPlanner> logger)
        {
            _db = db;
            _logger = logger;
        }

        public async Task PlanAsync(int categoryId, CancellationToken ct)
        {
            var products = await _db.Products.Where(p => p.CategoryId == categoryId).ToListAsync(ct);
            foreach (var product in products)
            {
                product.UpdatedAt = DateTime.UtcNow;
            }

            var empty = products.Where(p => p.StockLevel == 0).Select(p => p.Sku).ToList();
            _logger.LogInformation("Reorder {Skus}", string.Join(",", empty));
            await _db.SaveChangesAsync(ct);
        }
    }
}
""");

    [Fact]
    public Task DistinctAndSelectAfterMaterialization_NotRowSelection_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class FacetBuilder
    {
        private readonly ShopDbContext _db;
        public FacetBuilder(ShopDbContext db) => _db = db;

        public async Task<List<string>> CountriesAsync(CancellationToken ct)
            => (await _db.Customers.Select(c => c.CountryCode).ToListAsync(ct)).Distinct().Select(c => c.ToUpperInvariant()).ToList();
    }
}
""");

    // ================================================================================================
    // Second batch: harder shapes, PERF008
    // ================================================================================================

    [Fact]
    public Task ForeachWithTryCatchLogAndContinue_NotARetry_Reports() => Run("""
namespace Shop.Jobs
{
    public sealed class ReviewImporter
    {
        private readonly HttpClient _reviews;
        private readonly ILogger<ReviewImporter> _logger;

        public ReviewImporter(HttpClient reviews, ILogger<ReviewImporter> logger)
        {
            _reviews = reviews;
            _logger = logger;
        }

        public async Task<int> ImportAsync(IEnumerable<string> skus, CancellationToken ct)
        {
            var imported = 0;
            foreach (var sku in skus)
            {
                try
                {
                    var json = await {|PERF008:_reviews.GetStringAsync($"reviews?sku={sku}", ct)|};
                    imported += json.Length > 2 ? 1 : 0;
                }
                catch (HttpRequestException ex)
                {
                    _logger.LogWarning(ex, "Reviews for {Sku} failed", sku);
                }
            }

            return imported;
        }
    }
}
""");

    [Fact]
    public Task TasksBuiltWithSelectToListThenWhenAll_RefitPerId_Reports() => Run("""
namespace Shop.Catalog
{
    public sealed class RecommendationHydrator
    {
        private readonly ICatalogApi _catalog;
        public RecommendationHydrator(ICatalogApi catalog) => _catalog = catalog;

        public async Task<List<ProductDto>> HydrateAsync(IReadOnlyList<int> recommendedIds, CancellationToken ct)
        {
            var tasks = recommendedIds.Select(id => {|PERF008:_catalog.GetProductAsync(id, ct)|}).ToList();
            var products = await Task.WhenAll(tasks);
            return products.Where(p => p is not null).ToList();
        }
    }
}
""");

    [Fact]
    public Task PaymentGatewayInterface_RefundPerPayment_Reports() => Run("""
namespace Shop.Payments
{
    public sealed record Payment(string Id, decimal Amount);

    public interface IPaymentGateway
    {
        Task RefundAsync(Payment payment, CancellationToken ct);
    }

    public sealed class HttpPaymentGateway : IPaymentGateway
    {
        private readonly HttpClient _http;
        public HttpPaymentGateway(HttpClient http) => _http = http;

        public async Task RefundAsync(Payment payment, CancellationToken ct)
        {
            using var response = await _http.PostAsJsonAsync($"v1/payments/{payment.Id}/refunds", new { amount = payment.Amount }, ct);
            response.EnsureSuccessStatusCode();
        }
    }

    public sealed class OrderCancellationService
    {
        private readonly IPaymentGateway _gateway;
        public OrderCancellationService(IPaymentGateway gateway) => _gateway = gateway;

        public async Task RefundAllAsync(IReadOnlyList<Payment> payments, CancellationToken ct)
        {
            foreach (var payment in payments)
            {
                await {|PERF008:_gateway.RefundAsync(payment, ct)|};
            }
        }
    }
}
""");

    [Fact]
    public Task BlockingGrpcTrackPerShipment_InSyncMethod_Reports() => Run("""
namespace Shop.Shipping
{
    public sealed class TrackingBoard
    {
        private readonly ShippingService.ShippingServiceClient _client;
        public TrackingBoard(ShippingService.ShippingServiceClient client) => _client = client;

        public Dictionary<string, string> States(IEnumerable<string> trackingNumbers)
        {
            var states = new Dictionary<string, string>();
            foreach (var number in trackingNumbers)
            {
                var reply = {|PERF008:_client.Track(new TrackRequest { TrackingNumber = number })|};
                states[number] = reply.State;
            }

            return states;
        }
    }
}
""");

    [Fact]
    public Task WhileReaderReadsRows_GetAsyncPerRow_Reports() => Run("""
namespace Shop.Jobs
{
    public sealed class ImageAudit
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly HttpClient _cdn;

        public ImageAudit(NpgsqlDataSource dataSource, HttpClient cdn)
        {
            _dataSource = dataSource;
            _cdn = cdn;
        }

        public async Task<List<string>> MissingImagesAsync(CancellationToken ct)
        {
            var missing = new List<string>();
            await using var command = _dataSource.CreateCommand("SELECT sku FROM products");
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var sku = reader.GetString(0);
                using var response = await {|PERF008:_cdn.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"images/{sku}.jpg"), ct)|};
                if (!response.IsSuccessStatusCode)
                {
                    missing.Add(sku);
                }
            }

            return missing;
        }
    }
}
""");

    [Fact]
    public Task MirrorFailover_ReturnOnFirstSuccess_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class FeedDownloader
    {
        private readonly HttpClient _http;
        private readonly IReadOnlyList<string> _mirrors;

        public FeedDownloader(HttpClient http, IReadOnlyList<string> mirrors)
        {
            _http = http;
            _mirrors = mirrors;
        }

        public async Task<string> DownloadAsync(string feed, CancellationToken ct)
        {
            foreach (var mirror in _mirrors)
            {
                try
                {
                    return await _http.GetStringAsync($"{mirror}/feeds/{feed}.xml", ct);
                }
                catch (HttpRequestException)
                {
                }
            }

            throw new InvalidOperationException("No mirror answered.");
        }
    }
}
""");

    [Fact]
    public Task ParallelForEachSync_BlockingGrpcPerShipment_NoDiagnostic() => Run("""
namespace Shop.Shipping
{
    public sealed class TrackingRefresh
    {
        private readonly ShippingService.ShippingServiceClient _client;
        public TrackingRefresh(ShippingService.ShippingServiceClient client) => _client = client;

        public ConcurrentDictionary<string, string> Refresh(IEnumerable<string> numbers)
        {
            var states = new ConcurrentDictionary<string, string>();
            Parallel.ForEach(numbers, new ParallelOptions { MaxDegreeOfParallelism = 4 }, number =>
            {
                states[number] = _client.Track(new TrackRequest { TrackingNumber = number }).State;
            });
            return states;
        }
    }
}
""");

    [Fact]
    public Task ServerStreamReadInLoop_OneCallOutside_AndSemaphoreGuardedFanOut_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class ThrottledPriceRefresh
    {
        private readonly HttpClient _http;
        private readonly SemaphoreSlim _gate = new(4);

        public ThrottledPriceRefresh(HttpClient http) => _http = http;

        public Task RefreshAsync(IEnumerable<string> skus, CancellationToken ct)
            => Task.WhenAll(skus.Select(async sku =>
            {
                await _gate.WaitAsync(ct);
                try
                {
                    using var response = await _http.PostAsync($"prices/{sku}/refresh", null, ct);
                }
                finally
                {
                    _gate.Release();
                }
            }));
    }
}
""");

    [Fact]
    public Task EnumGetValuesFanOut_PerWarehouseRegion_NoDiagnostic() => Run("""
namespace Shop.Ops
{
    public enum Warehouse { Berlin, Dublin, Madrid }

    public sealed class WarehouseCapacity
    {
        private readonly HttpClient _http;
        public WarehouseCapacity(HttpClient http) => _http = http;

        public async Task<Dictionary<Warehouse, int>> ReadAsync(CancellationToken ct)
        {
            var result = new Dictionary<Warehouse, int>();
            foreach (var warehouse in Enum.GetValues<Warehouse>())
            {
                result[warehouse] = await _http.GetFromJsonAsync<int>($"warehouses/{warehouse}/capacity", ct);
            }

            return result;
        }
    }
}
""");

    [Fact]
    public Task LoopOverResponseItems_DbWritesOnly_OneGetBefore_NoDiagnostic() => Run("""
namespace Shop.Jobs
{
    public sealed class SupplierPriceSync
    {
        private readonly HttpClient _supplier;
        private readonly ShopDbContext _db;

        public SupplierPriceSync(HttpClient supplier, ShopDbContext db)
        {
            _supplier = supplier;
            _db = db;
        }

        public async Task SyncAsync(CancellationToken ct)
        {
            var prices = await _supplier.GetFromJsonAsync<List<StockDto>>("feed/stock", ct);
            var skus = prices.Select(p => p.Sku).ToList();
            var products = await _db.Products.Where(p => skus.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, ct);
            foreach (var price in prices)
            {
                if (products.TryGetValue(price.Sku, out var product))
                {
                    product.StockLevel = price.Available;
                }
            }

            await _db.SaveChangesAsync(ct);
        }
    }
}
""");

    // ================================================================================================
    // Third batch: entry points, hand-written batching, correlated subqueries, navigation predicates
    // ================================================================================================

    [Fact]
    public Task GrpcServiceOverride_MemoryCacheSetQuoteWithoutExpiration_Reports() => Run("""
namespace Shipping.V1
{
    [BindServiceMethod(typeof(ShippingQuotesBinder), "BindService")]
    public abstract class ShippingQuotesBase
    {
        public virtual Task<QuoteReply> GetQuote(QuoteRequest request, ServerCallContext context)
            => throw new RpcException(new Status(StatusCode.Unimplemented, ""));
    }

    public static class ShippingQuotesBinder
    {
        public static void BindService(ServiceBinderBase binder, ShippingQuotesBase service) { }
    }
}

namespace Shop.GrpcServices
{
    public sealed class ShippingQuotesService : ShippingQuotesBase
    {
        private readonly IMemoryCache _cache;
        public ShippingQuotesService(IMemoryCache cache) => _cache = cache;

        public override Task<QuoteReply> GetQuote(QuoteRequest request, ServerCallContext context)
        {
            var key = $"quote:{request.PostalCode}:{request.WeightKg}";
            if (!_cache.TryGetValue(key, out QuoteReply reply))
            {
                reply = new QuoteReply { Carrier = "DHL", Amount = 4.99m + request.WeightKg };
                {|PERF005:_cache.Set(key, reply)|};
            }

            return Task.FromResult(reply);
        }
    }
}
""");

    [Fact]
    public Task MvcControllerWithoutApiControllerAttribute_StaticCacheHelper_ReportsOnRequestPath() => Run("""
namespace Shop.Web
{
    public static class CacheHelper
    {
        public static T Remember<T>(IMemoryCache cache, string key, Func<T> load)
        {
            if (cache.TryGetValue(key, out T value))
            {
                return value;
            }

            value = load();
            {|PERF005:cache.Set(key, value)|};
            return value;
        }
    }

    public sealed class StoreController : Controller
    {
        private readonly IMemoryCache _cache;
        private readonly ShopDbContext _db;

        public StoreController(IMemoryCache cache, ShopDbContext db)
        {
            _cache = cache;
            _db = db;
        }

        public IActionResult Index()
            => View(CacheHelper.Remember(_cache, "store:featured", () => _db.Products.OrderByDescending(p => p.UpdatedAt).Take(6).ToList()));
    }
}
""");

    [Fact]
    public Task EndpointFilter_MemoryCacheGetOrCreateApiKeyWithoutExpiration_Reports() => Run("""
namespace Shop.Api
{
    public sealed class ApiKeyFilter : IEndpointFilter
    {
        private readonly IMemoryCache _cache;
        private readonly ShopDbContext _db;

        public ApiKeyFilter(IMemoryCache cache, ShopDbContext db)
        {
            _cache = cache;
            _db = db;
        }

        public async ValueTask<object> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var apiKey = context.HttpContext.Request.Headers["X-Api-Key"].ToString();
            var tenant = await {|PERF005:_cache.GetOrCreateAsync("apikey:" + apiKey, entry => _db.Customers.Where(c => c.Email == apiKey).Select(c => (int?)c.TenantId).FirstOrDefaultAsync())|};
            return tenant is null ? Results.Unauthorized() : await next(context);
        }
    }
}
""");

    [Fact]
    public Task MapGroupEndpoint_OptionsWithOnlyPostEvictionCallback_Reports() => Run("""
namespace Shop.Api
{
    public static class SessionEndpoints
    {
        public static void MapSessions(this IEndpointRouteBuilder app)
        {
            var group = app.MapGroup("/api/sessions");
            group.MapPost("/{id}", (string id, IMemoryCache cache, ILoggerFactory loggers) =>
            {
                var logger = loggers.CreateLogger("sessions");
                var options = {|#1:new MemoryCacheEntryOptions { Priority = CacheItemPriority.Low }|};
                options.RegisterPostEvictionCallback((key, value, reason, state) => logger.LogInformation("Session {Key} evicted: {Reason}", key, reason));
                {|#0:cache.Set("session:" + id, DateTimeOffset.UtcNow, options)|};
                return Results.NoContent();
            });
        }
    }
}
""", new DiagnosticResult("PERF005", DiagnosticSeverity.Warning).WithLocation(0).WithLocation(1));

    [Fact]
    public Task HandWrittenChunkLoop_SkipTakeBatchPerRequest_NoDiagnostic() => Run("""
namespace Shop.Jobs
{
    public sealed class SearchIndexer
    {
        private const int BatchSize = 500;
        private readonly HttpClient _search;

        public SearchIndexer(HttpClient search) => _search = search;

        public async Task IndexAsync(IReadOnlyList<ProductDto> products, CancellationToken ct)
        {
            for (var offset = 0; offset < products.Count; offset += BatchSize)
            {
                var batch = products.Skip(offset).Take(BatchSize).ToList();
                using var response = await _search.PostAsJsonAsync("indexes/products/documents", batch, ct);
                response.EnsureSuccessStatusCode();
            }
        }
    }
}
""");

    [Fact]
    public Task OpenEndedPageLoop_BreakOnEmptyPage_NoDiagnostic() => Run("""
namespace Shop.Jobs
{
    public sealed class MarketplaceOrderPuller
    {
        private readonly HttpClient _marketplace;
        public MarketplaceOrderPuller(HttpClient marketplace) => _marketplace = marketplace;

        public async Task<List<ProductDto>> PullAsync(CancellationToken ct)
        {
            var all = new List<ProductDto>();
            for (var page = 1; ; page++)
            {
                var items = await _marketplace.GetFromJsonAsync<List<ProductDto>>($"listings?page={page}&size=100", ct);
                if (items is null || items.Count == 0)
                {
                    break;
                }

                all.AddRange(items);
            }

            return all;
        }
    }
}
""");

    [Fact]
    public Task OffsetCarriedFromResponse_WhileTrueBreakOnShortPage_NoDiagnostic() => Run("""
namespace Shop.Jobs
{
    public sealed class LegacyErpReader
    {
        private readonly HttpClient _erp;
        public LegacyErpReader(HttpClient erp) => _erp = erp;

        public async Task<List<StockDto>> ReadAllAsync(CancellationToken ct)
        {
            var all = new List<StockDto>();
            var offset = 0;
            while (true)
            {
                var page = await _erp.GetFromJsonAsync<List<StockDto>>($"stock?offset={offset}&limit=200", ct);
                all.AddRange(page);
                offset += page.Count;
                if (page.Count < 200)
                {
                    break;
                }
            }

            return all;
        }
    }
}
""");

    [Fact]
    public Task NamedClientCreatedInLoop_PostPerCustomer_Reports() => Run("""
namespace Shop.Marketing
{
    public sealed class NewsletterSync
    {
        private readonly IHttpClientFactory _clients;
        private readonly ShopDbContext _db;

        public NewsletterSync(IHttpClientFactory clients, ShopDbContext db)
        {
            _clients = clients;
            _db = db;
        }

        public async Task SyncAsync(int tenantId, CancellationToken ct)
        {
            var customers = await _db.Customers.Where(c => c.Email != null).Take(1000).ToListAsync(ct);
            foreach (var customer in customers)
            {
                var client = _clients.CreateClient("newsletter");
                await {|PERF008:client.PutAsJsonAsync($"lists/main/members/{customer.Id}", new { email = customer.Email, name = customer.DisplayName }, ct)|};
            }
        }
    }
}
""");

    [Fact]
    public Task AsyncIteratorYieldingOneRemoteCallPerId_Reports() => Run("""
namespace Shop.Catalog
{
    public sealed class ProductStream
    {
        private readonly ICatalogApi _catalog;
        public ProductStream(ICatalogApi catalog) => _catalog = catalog;

        public async IAsyncEnumerable<ProductDto> StreamAsync(IEnumerable<int> ids, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            foreach (var id in ids)
            {
                yield return await {|PERF008:_catalog.GetProductAsync(id, ct)|};
            }
        }
    }
}
""");

    [Fact]
    public Task TenantIdWithoutNavigationOrIndex_NotAForeignKeyByName_Reports() => Run("""
namespace Shop.Admin
{
    public sealed class TenantCustomers
    {
        private readonly ShopDbContext _db;
        public TenantCustomers(ShopDbContext db) => _db = db;

        public Task<int> CountAsync(int tenantId, CancellationToken ct)
            => _db.Customers.CountAsync(c => {|PERF006:c.TenantId|} == tenantId, ct);
    }
}
""");

    [Fact]
    public Task NullableEnumParameterAndCapturedEntityValue_Report() => Run("""
namespace Shop.Reports
{
    public sealed class CustomerOrderFilter
    {
        private readonly ShopDbContext _db;
        public CustomerOrderFilter(ShopDbContext db) => _db = db;

        public async Task<List<Order>> AboveAverageAsync(int customerId, OrderStatus? status, CancellationToken ct)
        {
            var customer = await _db.Customers.SingleAsync(c => c.Id == customerId, ct);
            var average = await _db.Orders.Where(o => o.CustomerId == customer.Id).AverageAsync(o => o.Total, ct);
            return await _db.Orders
                .Where(o => {|PERF006:o.Status|} == status && {|PERF006:o.Total|} > average)
                .ToListAsync(ct);
        }
    }
}
""");

    [Fact]
    public Task CorrelatedSubqueriesOverNavigations_NarrowedByForeignKey_NoDiagnostic() => Run("""
namespace Shop.Reports
{
    public sealed class CustomerActivity
    {
        private readonly ShopDbContext _db;
        public CustomerActivity(ShopDbContext db) => _db = db;

        public Task<List<int>> BigSpendersAsync(int take, CancellationToken ct)
            => _db.Customers
                .Where(c => c.Orders.Any(o => o.Status == OrderStatus.Paid && o.Total > 1000))
                .OrderBy(c => c.Id)
                .Take(take)
                .Select(c => c.Id)
                .ToListAsync(ct);

        public Task<List<string>> BulkOrderNumbersAsync(int customerId, CancellationToken ct)
            => _db.Orders
                .Where(o => o.CustomerId == customerId && o.Items.Any(i => i.Quantity > 100))
                .Select(o => o.Number)
                .ToListAsync(ct);
    }
}
""");

    [Fact]
    public Task IncludeThenToListThenWhereOnNavigationCount_Reports() => Run("""
namespace Shop.Orders
{
    public sealed class MultiLineOrders
    {
        private readonly ShopDbContext _db;
        public MultiLineOrders(ShopDbContext db) => _db = db;

        public List<Order> For(int customerId)
            => {|PERF007:_db.Orders.Include(o => o.Items).Where(o => o.CustomerId == customerId).ToList()|}
                .Where(o => o.Items.Count > 3)
                .ToList();
    }
}
""");

    [Fact]
    public Task AsEnumerableThenSumOverWholeTable_Reports() => Run("""
namespace Shop.Reports
{
    public sealed class InventoryValue
    {
        private readonly ShopDbContext _db;
        public InventoryValue(ShopDbContext db) => _db = db;

        public decimal Total() => {|PERF007:_db.Products.AsNoTracking().AsEnumerable()|}.Sum(p => p.Price * p.StockLevel);
    }
}
""");

    [Fact]
    public Task ToHashSetAndToLookupAfterMaterialization_NoDiagnostic() => Run("""
namespace Shop.Orders
{
    public sealed class ReorderSuggestions
    {
        private readonly ShopDbContext _db;
        public ReorderSuggestions(ShopDbContext db) => _db = db;

        public async Task<List<int>> SuggestAsync(int customerId, CancellationToken ct)
        {
            var bought = (await _db.OrderItems.Where(i => i.Order.CustomerId == customerId).Select(i => i.ProductId).ToListAsync(ct)).ToHashSet();
            var byCategory = (await _db.Products.Where(p => bought.Contains(p.Id)).ToListAsync(ct)).ToLookup(p => p.CategoryId);
            return byCategory.Select(g => g.Key).ToList();
        }
    }
}
""");

    [Fact]
    public Task HandWrittenChunkLoop_GetRangePerPass_GrpcAndHttp_NoDiagnostic() => Run("""
namespace Shop.Jobs
{
    public sealed class PriceExport
    {
        private readonly HttpClient _http;
        public PriceExport(HttpClient http) => _http = http;

        public async Task PushAsync(List<StockDto> rows, int batchSize, CancellationToken ct)
        {
            for (var i = 0; i < rows.Count; i += batchSize)
            {
                var slice = rows.GetRange(i, Math.Min(batchSize, rows.Count - i));
                await _http.PostAsJsonAsync("prices/bulk", slice, ct);
            }
        }
    }
}
""");

    [Fact]
    public Task ForOverIndicesSteppingByOne_CompoundAssignment_StillReports() => Run("""
namespace Shop.Jobs
{
    public sealed class SkuPinger
    {
        private readonly HttpClient _http;
        public SkuPinger(HttpClient http) => _http = http;

        public async Task PingAsync(IReadOnlyList<string> skus, CancellationToken ct)
        {
            for (var i = 0; i < skus.Count; i += 1)
            {
                using var response = await {|PERF008:_http.PostAsync($"skus/{skus[i]}/touch", null, ct)|};
            }
        }
    }
}
""");

    // ================================================================================================
    // Fourth batch: more edges for each rule
    // ================================================================================================

    [Fact]
    public Task Controller_SetWithChainedSetPriorityOnly_Reports() => Run("""
namespace Shop.Api
{
    [ApiController]
    public sealed class HomepageController : ControllerBase
    {
        private readonly IMemoryCache _cache;
        private readonly ShopDbContext _db;

        public HomepageController(IMemoryCache cache, ShopDbContext db)
        {
            _cache = cache;
            _db = db;
        }

        [HttpGet("api/home/bestsellers")]
        public async Task<List<int>> Bestsellers(CancellationToken ct)
        {
            var ids = await _db.OrderItems.GroupBy(i => i.ProductId).OrderByDescending(g => g.Sum(i => i.Quantity)).Select(g => g.Key).Take(10).ToListAsync(ct);
            {|#0:_cache.Set("home:bestsellers", ids, {|#1:new MemoryCacheEntryOptions()|}.SetPriority(CacheItemPriority.High))|};
            return ids;
        }
    }
}
""", new DiagnosticResult("PERF005", DiagnosticSeverity.Warning).WithLocation(0).WithLocation(1));

    [Fact]
    public Task RedisTransaction_StringSetAsyncQueuedWithoutExpiry_Reports() => Run("""
namespace Shop.Customers
{
    public sealed class ProfileWriter
    {
        private readonly IDatabase _redis;
        public ProfileWriter(IConnectionMultiplexer mux) => _redis = mux.GetDatabase();

        public async Task<bool> CacheProfileAsync(int customerId, string json, string etag)
        {
            var tx = _redis.CreateTransaction();
            _ = {|PERF005:tx.StringSetAsync($"profile:{customerId}", json)|};
            _ = tx.StringSetAsync($"profile:{customerId}:etag", etag, TimeSpan.FromMinutes(30));
            return await tx.ExecuteAsync();
        }
    }
}
""");

    [Fact]
    public Task RedisConditionalTtlMayBeNullAndSetAddDedupe_NoDiagnostic() => Run("""
namespace Shop.Jobs
{
    public sealed class EventDeduplicator
    {
        private readonly IDatabase _redis;
        public EventDeduplicator(IConnectionMultiplexer mux) => _redis = mux.GetDatabase();

        public async Task<bool> FirstTimeAsync(string eventId)
            => await _redis.SetAddAsync("processed-events", eventId);

        public Task<bool> StoreAsync(string key, string value, TimeSpan ttl)
            => _redis.StringSetAsync(key, value, ttl > TimeSpan.Zero ? ttl : null, When.Always);
    }
}
""");

    [Fact]
    public Task Controller_DistributedOptionsFromBoundSettingsProperty_NoDiagnostic() => Run("""
namespace Shop.Api
{
    public sealed class CacheSettings
    {
        public DistributedCacheEntryOptions Catalog { get; set; } = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) };
    }

    [ApiController]
    public sealed class CatalogPageController : ControllerBase
    {
        private readonly IDistributedCache _cache;
        private readonly IOptionsMonitor<CacheSettings> _settings;
        private readonly ShopDbContext _db;

        public CatalogPageController(IDistributedCache cache, IOptionsMonitor<CacheSettings> settings, ShopDbContext db)
        {
            _cache = cache;
            _settings = settings;
            _db = db;
        }

        [HttpGet("api/catalog/{slug}")]
        public async Task<IActionResult> Page(string slug, CancellationToken ct)
        {
            var cached = await _cache.GetStringAsync("catalog:" + slug, ct);
            if (cached is not null)
            {
                return Content(cached, "application/json");
            }

            var category = await _db.Categories.Include(c => c.Products).FirstOrDefaultAsync(c => c.Slug == slug, ct);
            var json = JsonSerializer.Serialize(category);
            await _cache.SetStringAsync("catalog:" + slug, json, _settings.CurrentValue.Catalog, ct);
            return Content(json, "application/json");
        }
    }
}
""");

    [Fact]
    public Task ForeachStatementOverFilteredQuery_LoyaltyTier_Reports() => Run("""
namespace Shop.Jobs
{
    public sealed class GoldPerks
    {
        private readonly ShopDbContext _db;
        public GoldPerks(ShopDbContext db) => _db = db;

        public int Count()
        {
            var count = 0;
            foreach (var customer in _db.Customers.AsNoTracking().Where(c => {|PERF006:c.LoyaltyTier|} == "gold"))
            {
                count += customer.Orders.Count;
            }

            return count;
        }
    }
}
""");

    [Fact]
    public Task ExecuteUpdateOnStatusAndPlacedAtWithoutTenant_ReportsBoth() => Run("""
namespace Shop.Jobs
{
    public sealed class AbandonedOrderSweeper
    {
        private readonly ShopDbContext _db;
        public AbandonedOrderSweeper(ShopDbContext db) => _db = db;

        public Task<int> SweepAsync(DateTime cutoff, CancellationToken ct)
            => _db.Orders
                .Where(o => {|PERF006:o.Status|} == OrderStatus.Draft && {|PERF006:o.PlacedAt|} < cutoff)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled), ct);
    }
}
""");

    [Fact]
    public Task NullableShippedAtRangeFromRequestObject_Reports() => Run("""
namespace Shop.Api
{
    public sealed record ShippedQuery(DateTime From, DateTime To);

    public static class ShippedEndpoints
    {
        public static void MapShipped(this IEndpointRouteBuilder app)
            => app.MapPost("/api/orders/shipped", async ([FromBody] ShippedQuery query, ShopDbContext db, CancellationToken ct) =>
                await db.Orders.Where(o => {|PERF006:o.ShippedAt|} >= query.From && o.ShippedAt < query.To).Select(o => o.Number).ToListAsync(ct));
    }
}
""");

    [Fact]
    public Task YearOfColumnPrefixOnUniqueNumberAndLeadingCompositeOrder_NoDiagnostic() => Run("""
namespace Shop.Reports
{
    public sealed class OrderArchive
    {
        private readonly ShopDbContext _db;
        public OrderArchive(ShopDbContext db) => _db = db;

        public async Task<object> ForAsync(int year, string numberPrefix, string entityType, CancellationToken ct)
        {
            var ofYear = await _db.Orders.CountAsync(o => o.PlacedAt.Year == year, ct);
            var byPrefix = await _db.Orders.Where(o => o.Number.StartsWith(numberPrefix)).Take(20).ToListAsync(ct);
            var history = await _db.AuditEntries.Where(a => a.EntityType == entityType).OrderBy(a => a.EntityId).Take(50).ToListAsync(ct);
            var notGold = await _db.Customers.CountAsync(c => c.LoyaltyTier != "gold", ct);
            return new { ofYear, byPrefix, history, notGold };
        }
    }
}
""");

    [Fact]
    public Task ListFilteredAgainstItsOwnAverage_TwoUsesOfTheLocal_NoDiagnostic() => Run("""
namespace Shop.Reports
{
    public sealed class OutlierOrders
    {
        private readonly ShopDbContext _db;
        public OutlierOrders(ShopDbContext db) => _db = db;

        public async Task<List<Order>> ForCustomerAsync(int customerId, CancellationToken ct)
        {
            var orders = await _db.Orders.Where(o => o.CustomerId == customerId).ToListAsync(ct);
            return orders.Where(o => o.Total > orders.Average(x => x.Total) * 2).ToList();
        }
    }
}
""");

    [Fact]
    public Task EmptyCheckThenReturnList_AnyPlusReturn_NoDiagnostic() => Run("""
namespace Shop.Api
{
    [ApiController]
    public sealed class ShipmentsController : ControllerBase
    {
        private readonly ShopDbContext _db;
        public ShipmentsController(ShopDbContext db) => _db = db;

        [HttpGet("api/orders/{orderId:int}/shipments")]
        public async Task<IActionResult> ForOrder(int orderId, CancellationToken ct)
        {
            var shipments = await _db.Shipments.Where(s => s.OrderId == orderId).ToListAsync(ct);
            if (!shipments.Any())
            {
                return NotFound();
            }

            return Ok(shipments);
        }
    }
}
""");

    [Fact]
    public Task OkOfFilteredMaterializedList_OnlyUse_Reports() => Run("""
namespace Shop.Api
{
    [ApiController]
    public sealed class ExpensiveProductsController : ControllerBase
    {
        private readonly ShopDbContext _db;
        public ExpensiveProductsController(ShopDbContext db) => _db = db;

        [HttpGet("api/products/expensive")]
        public async Task<IActionResult> Get(decimal threshold, CancellationToken ct)
        {
            var products = await {|PERF007:_db.Products.AsNoTracking().ToListAsync(ct)|};
            return Ok(products.Where(p => p.Price > threshold).Select(p => new { p.Id, p.Name, p.Price }));
        }
    }
}
""");

    [Fact]
    public Task OrderByThenToListThenFirstOrDefault_Reports() => Run("""
namespace Shop.Catalog
{
    public sealed class PriceLeader
    {
        private readonly ShopDbContext _db;
        public PriceLeader(ShopDbContext db) => _db = db;

        public Product MostExpensive(int categoryId)
            => {|PERF007:_db.Products.Where(p => p.CategoryId == categoryId).OrderByDescending(p => p.Price).ToList()|}.FirstOrDefault();
    }
}
""");

    [Fact]
    public Task AsEnumerableThenCultureAwareContains_ClientEvaluationByDesign_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class ProductSearch
    {
        private readonly ShopDbContext _db;
        public ProductSearch(ShopDbContext db) => _db = db;

        public List<Product> Search(int categoryId, string term)
            => _db.Products
                .Where(p => p.CategoryId == categoryId)
                .AsEnumerable()
                .Where(p => p.Name.Contains(term, StringComparison.CurrentCultureIgnoreCase))
                .ToList();
    }
}
""");

    [Fact]
    public Task WhenAllOverSelectWithMethodGroup_PerElementFetch_Reports() => Run("""
namespace Shop.Catalog
{
    public sealed class StockBoard
    {
        private readonly InventoryClient _inventory;
        public StockBoard(InventoryClient inventory) => _inventory = inventory;

        public async Task<StockDto[]> ReadAsync(IEnumerable<string> skus, CancellationToken ct)
            => await Task.WhenAll(skus.Select(async sku => await {|PERF008:_inventory.GetStockAsync(sku, ct)|}));
    }
}
""");

    [Fact]
    public Task TenantInHeaderOnly_SameUrlDifferentRequest_Reports() => Run("""
namespace Shop.Ops
{
    public sealed class SearchReindexer
    {
        private readonly HttpClient _search;
        public SearchReindexer(HttpClient search) => _search = search;

        public async Task ReindexAsync(IEnumerable<int> tenantIds, CancellationToken ct)
        {
            foreach (var tenantId in tenantIds)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "admin/reindex");
                request.Headers.Add("X-Tenant", tenantId.ToString());
                using var response = await {|PERF008:_search.SendAsync(request, ct)|};
                response.EnsureSuccessStatusCode();
            }
        }
    }
}
""");

    [Fact]
    public Task TypedClientWithConcurrentDictionaryCacheAside_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class CategoryNameClient
    {
        private readonly HttpClient _http;
        private readonly ConcurrentDictionary<int, string> _names = new();

        public CategoryNameClient(HttpClient http) => _http = http;

        public async Task<string> NameAsync(int categoryId, CancellationToken ct)
        {
            if (_names.TryGetValue(categoryId, out var name))
            {
                return name;
            }

            name = await _http.GetStringAsync($"categories/{categoryId}/name", ct);
            _names[categoryId] = name;
            return name;
        }
    }

    public sealed class BreadcrumbBuilder
    {
        private readonly CategoryNameClient _names;
        public BreadcrumbBuilder(CategoryNameClient names) => _names = names;

        public async Task<string> BuildAsync(IEnumerable<int> path, CancellationToken ct)
        {
            var parts = new List<string>();
            foreach (var categoryId in path)
            {
                parts.Add(await _names.NameAsync(categoryId, ct));
            }

            return string.Join(" / ", parts);
        }
    }
}
""");

    [Fact]
    public Task SmtpEmailPerRecipient_NotHttp_NoDiagnostic() => Run("""
namespace Shop.Notifications
{
    public interface IEmailSender
    {
        Task SendAsync(string to, string subject, string body, CancellationToken ct);
    }

    public sealed class SmtpEmailSender : IEmailSender
    {
        private readonly System.Net.Mail.SmtpClient _smtp = new("localhost");

        public Task SendAsync(string to, string subject, string body, CancellationToken ct)
            => _smtp.SendMailAsync(new System.Net.Mail.MailMessage("shop@example.test", to, subject, body), ct);
    }

    public sealed class ShippingNotifier
    {
        private readonly IEmailSender _email;
        public ShippingNotifier(IEmailSender email) => _email = email;

        public async Task NotifyAsync(IEnumerable<(string Email, string Number)> shipped, CancellationToken ct)
        {
            foreach (var (email, number) in shipped)
            {
                await _email.SendAsync(email, $"Order {number} shipped", "It is on its way.", ct);
            }
        }
    }
}
""");

    [Fact]
    public Task SmallConstantForLoop_WarmupShards_NoDiagnostic() => Run("""
namespace Shop.Ops
{
    public sealed class ShardWarmup
    {
        private readonly HttpClient _http;
        public ShardWarmup(HttpClient http) => _http = http;

        public async Task WarmAsync(CancellationToken ct)
        {
            for (var shard = 0; shard < 4; shard++)
            {
                using var response = await _http.GetAsync($"shards/{shard}/warmup", ct);
            }
        }
    }
}
""");

    [Fact]
    public Task TasksStartedInSelectAwaitedInForeach_Reports() => Run("""
namespace Shop.Catalog
{
    public sealed class PriceComparison
    {
        private readonly HttpClient _http;
        public PriceComparison(HttpClient http) => _http = http;

        public async Task<List<string>> CompareAsync(IReadOnlyList<string> skus, CancellationToken ct)
        {
            var pending = skus.Select(sku => {|PERF008:_http.GetStringAsync($"compare/{sku}", ct)|}).ToArray();
            var results = new List<string>();
            foreach (var task in pending)
            {
                results.Add(await task);
            }

            return results;
        }
    }
}
""");

    // ================================================================================================
    // Fifth batch: context factories, second models, request builders, session look-alikes
    // ================================================================================================

    [Fact]
    public Task DbContextFactoryInJob_FilterOnUnindexedCouponCode_Reports() => Run("""
namespace Shop.Jobs
{
    public sealed class CouponExpiryJob
    {
        private readonly IDbContextFactory<ShopDbContext> _contexts;
        public CouponExpiryJob(IDbContextFactory<ShopDbContext> contexts) => _contexts = contexts;

        public async Task<int> CountAsync(string code, CancellationToken ct)
        {
            await using var db = await _contexts.CreateDbContextAsync(ct);
            return await db.Orders.CountAsync(o => {|PERF006:o.CouponCode|} == code, ct);
        }
    }
}
""");

    [Fact]
    public Task SecondContext_TypeNameIdKeyByConventionQuiet_CodeColumnReports() => Run("""
namespace Shop.Warehousing
{
    public class Warehouse
    {
        public int WarehouseId { get; set; }
        public string Code { get; set; }
        public string City { get; set; }
        public List<Bin> Bins { get; set; } = new();
    }

    public class Bin
    {
        public int BinId { get; set; }
        public int WarehouseId { get; set; }
        public string Label { get; set; }
    }

    public class WarehouseDbContext : DbContext
    {
        public WarehouseDbContext(DbContextOptions<WarehouseDbContext> options) : base(options) { }
        public DbSet<Warehouse> Warehouses => Set<Warehouse>();
        public DbSet<Bin> Bins => Set<Bin>();
    }

    public sealed class WarehouseQueries
    {
        private readonly WarehouseDbContext _db;
        public WarehouseQueries(WarehouseDbContext db) => _db = db;

        public Task<Warehouse> ByIdAsync(int id) => _db.Warehouses.FirstOrDefaultAsync(w => w.WarehouseId == id);

        public Task<List<Bin>> BinsAsync(int warehouseId) => _db.Bins.Where(b => b.WarehouseId == warehouseId).ToListAsync();

        public Task<Warehouse> ByCodeAsync(string code) => _db.Warehouses.SingleOrDefaultAsync(w => {|PERF006:w.Code|} == code);
    }
}
""");

    [Fact]
    public Task QueryableExtensionFilterInAnotherMethod_ExecutedByCaller_NoDiagnostic() => Run("""
namespace Shop.Data
{
    public static class OrderQueryExtensions
    {
        public static IQueryable<Order> Paid(this IQueryable<Order> orders) => orders.Where(o => o.Status == OrderStatus.Paid);
    }

    public sealed class PaidOrders
    {
        private readonly ShopDbContext _db;
        public PaidOrders(ShopDbContext db) => _db = db;

        public Task<List<Order>> LatestAsync(CancellationToken ct)
            => _db.Orders.Paid().OrderByDescending(o => o.Id).Take(20).ToListAsync(ct);
    }
}
""");

    [Fact]
    public Task FunctionOnParameterNotColumn_DisplayNameEqualsTrimmedInput_Reports() => Run("""
namespace Shop.Api
{
    [ApiController]
    public sealed class NameCheckController : ControllerBase
    {
        private readonly ShopDbContext _db;
        public NameCheckController(ShopDbContext db) => _db = db;

        [HttpGet("api/customers/name-taken")]
        public Task<bool> Taken(string name, CancellationToken ct)
            => _db.Customers.AnyAsync(c => {|PERF006:c.DisplayName|} == name.Trim(), ct);
    }
}
""");

    [Fact]
    public Task SessionSetStringAndCookies_NotACache_NoDiagnostic() => Run("""
namespace Shop.Web
{
    public sealed class CartPageModel : PageModel
    {
        public IActionResult OnPostAdd(string sku, int quantity)
        {
            var lines = HttpContext.Session.GetString("cart") ?? "";
            HttpContext.Session.SetString("cart", lines + $"{sku}:{quantity};");
            HttpContext.Session.Set("cart-updated", BitConverter.GetBytes(DateTime.UtcNow.Ticks));
            Response.Cookies.Append("last-sku", sku);
            return RedirectToPage();
        }
    }
}
""");

    [Fact]
    public Task ControllerPrivateHelper_MemoryCacheSetWithoutExpiration_Reports() => Run("""
namespace Shop.Api
{
    [ApiController]
    [Route("api/tax")]
    public sealed class TaxController : ControllerBase
    {
        private readonly IMemoryCache _cache;
        public TaxController(IMemoryCache cache) => _cache = cache;

        [HttpGet("{country}")]
        public decimal Rate(string country) => Lookup(country);

        private decimal Lookup(string country)
        {
            if (_cache.TryGetValue("vat:" + country, out decimal rate))
            {
                return rate;
            }

            rate = country switch { "DE" => 0.19m, "FR" => 0.20m, _ => 0.21m };
            {|PERF005:_cache.Set("vat:" + country, rate)|};
            return rate;
        }
    }
}
""");

    [Fact]
    public Task RequestBuiltByHelperFromElement_SendAsyncPerItem_Reports() => Run("""
namespace Shop.Integrations.Erp
{
    public sealed class ErpOrderPusher
    {
        private readonly HttpClient _erp;
        public ErpOrderPusher(HttpClient erp) => _erp = erp;

        public async Task PushAsync(IEnumerable<Order> orders, CancellationToken ct)
        {
            foreach (var order in orders)
            {
                using var request = BuildRequest(order);
                using var response = await {|PERF008:_erp.SendAsync(request, ct)|};
                response.EnsureSuccessStatusCode();
            }
        }

        private static HttpRequestMessage BuildRequest(Order order)
            => new(HttpMethod.Put, new Uri($"orders/{order.Number}", UriKind.Relative))
            {
                Content = JsonContent.Create(new { order.Number, order.Total, order.Status }),
            };
    }
}
""");

    [Fact]
    public Task UriBuilderFromBaseAndElement_GetStringPerSku_Reports() => Run("""
namespace Shop.Catalog
{
    public sealed class DescriptionFetcher
    {
        private static readonly Uri ContentBase = new("https://content.shop.internal/");
        private readonly HttpClient _http;

        public DescriptionFetcher(HttpClient http) => _http = http;

        public async Task<Dictionary<string, string>> FetchAsync(IReadOnlyCollection<string> skus, CancellationToken ct)
        {
            var result = new Dictionary<string, string>(skus.Count);
            foreach (var sku in skus)
            {
                var uri = new Uri(ContentBase, "descriptions/" + Uri.EscapeDataString(sku));
                result[sku] = await {|PERF008:_http.GetStringAsync(uri, ct)|};
            }

            return result;
        }
    }
}
""");

    [Fact]
    public Task PagesFromAsyncIterator_CallPerItemOfEachPage_Reports() => Run("""
namespace Shop.Jobs
{
    public sealed class ImageMirror
    {
        private readonly HttpClient _cdn;
        private readonly ShopDbContext _db;

        public ImageMirror(HttpClient cdn, ShopDbContext db)
        {
            _cdn = cdn;
            _db = db;
        }

        public async Task MirrorAsync(CancellationToken ct)
        {
            await foreach (var product in _db.Products.AsNoTracking().Where(p => p.UpdatedAt > DateTime.UtcNow.AddDays(-1)).AsAsyncEnumerable().WithCancellation(ct))
            {
                using var response = await {|PERF008:_cdn.PostAsync($"mirror?sku={Uri.EscapeDataString(product.Sku)}", null, ct)|};
            }
        }
    }
}
""");

    [Fact]
    public Task FiveMinuteRefreshWithSameUrlPerCategory_ElementOnlyInLog_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class FeedRefresher
    {
        private readonly HttpClient _http;
        private readonly ILogger<FeedRefresher> _logger;

        public FeedRefresher(HttpClient http, ILogger<FeedRefresher> logger)
        {
            _http = http;
            _logger = logger;
        }

        public async Task RefreshAsync(IEnumerable<Category> categories, CancellationToken ct)
        {
            var feed = await _http.GetStringAsync("feeds/all.json", ct);
            foreach (var category in categories)
            {
                _logger.LogInformation("Category {Slug} refreshed from a feed of {Length} bytes", category.Slug, feed.Length);
            }
        }
    }
}
""");

    [Fact]
    public Task MaterializedForDictionaryAndPassedToMapper_NoDiagnostic() => Run("""
namespace Shop.Reports
{
    public static class CustomerMapper
    {
        public static List<string> Names(IEnumerable<Customer> customers) => customers.Select(c => c.DisplayName).ToList();
    }

    public sealed class CustomerExport
    {
        private readonly ShopDbContext _db;
        public CustomerExport(ShopDbContext db) => _db = db;

        public async Task<List<string>> NamesAsync(int tenantId, CancellationToken ct)
        {
            var customers = await _db.Customers.Where(c => c.Email != null).OrderBy(c => c.Id).Take(5000).ToListAsync(ct);
            return CustomerMapper.Names(customers);
        }
    }
}
""");

    [Fact]
    public Task AsEnumerableReturnedWithWhere_ProductsAboveCost_Reports() => Run("""
namespace Shop.Catalog
{
    public sealed class ProductFeed
    {
        private readonly ShopDbContext _db;
        public ProductFeed(ShopDbContext db) => _db = db;

        public IEnumerable<Product> Visible(decimal minPrice)
            => {|PERF007:_db.Products.AsEnumerable()|}.Where(p => !p.IsDiscontinued && p.Price >= minPrice);
    }
}
""");

    // ================================================================================================
    // Sixth batch
    // ================================================================================================

    [Fact]
    public Task WhenAllOverSelectOfPrivateMethodGroup_PerSkuFetch_Reports() => Run("""
namespace Shop.Catalog
{
    public sealed class StockWall
    {
        private readonly InventoryClient _inventory;
        public StockWall(InventoryClient inventory) => _inventory = inventory;

        public Task<StockDto[]> ReadAsync(IEnumerable<string> skus)
            => Task.WhenAll(skus.Select({|PERF008:FetchAsync|}));

        private Task<StockDto> FetchAsync(string sku) => _inventory.GetStockAsync(sku);
    }
}
""");

    [Fact]
    public Task ForeachOverDictionaryDeconstruction_PutStockPerSku_Reports() => Run("""
namespace Shop.Integrations.Erp
{
    public sealed class StockPublisher
    {
        private readonly HttpClient _marketplace;
        public StockPublisher(HttpClient marketplace) => _marketplace = marketplace;

        public async Task PublishAsync(IReadOnlyDictionary<string, int> quantities, CancellationToken ct)
        {
            foreach (var (sku, quantity) in quantities)
            {
                using var response = await {|PERF008:_marketplace.PutAsJsonAsync($"inventory/{sku}", new { quantity }, ct)|};
            }
        }
    }
}
""");

    [Fact]
    public Task MissingIdsCollectedThenOneRefitBatch_NoDiagnostic() => Run("""
namespace Shop.Catalog
{
    public sealed class CatalogCacheFiller
    {
        private readonly ICatalogApi _catalog;
        private readonly IMemoryCache _cache;

        public CatalogCacheFiller(ICatalogApi catalog, IMemoryCache cache)
        {
            _catalog = catalog;
            _cache = cache;
        }

        public async Task FillAsync(IEnumerable<int> ids, CancellationToken ct)
        {
            var missing = new List<int>();
            foreach (var id in ids)
            {
                if (!_cache.TryGetValue(id, out ProductDto _))
                {
                    missing.Add(id);
                }
            }

            if (missing.Count == 0)
            {
                return;
            }

            foreach (var product in await _catalog.GetProductsAsync(missing, ct))
            {
                _cache.Set(product.Id, product, TimeSpan.FromMinutes(5));
            }
        }
    }
}
""");

    [Fact]
    public Task RedirectFollowingDoWhile_LocationCarriedAcrossPasses_NoDiagnostic() => Run("""
namespace Shop.Integrations
{
    public sealed class DocumentResolver
    {
        private readonly HttpClient _http;
        public DocumentResolver(HttpClient http) => _http = http;

        public async Task<string> ResolveAsync(string start, CancellationToken ct)
        {
            var url = start;
            HttpResponseMessage response;
            var hops = 0;
            do
            {
                response = await _http.GetAsync(url, ct);
                url = response.Headers.Location?.ToString();
                hops++;
            }
            while (url is not null && hops < 5);

            return await response.Content.ReadAsStringAsync(ct);
        }
    }
}
""");

    [Fact]
    public Task GenericRepository_SetToListThenWhereWithFuncPredicate_Reports() => Run("""
namespace Shop.Data
{
    public class Repository<T> where T : class
    {
        private readonly ShopDbContext _db;
        public Repository(ShopDbContext db) => _db = db;

        public List<T> Find(Func<T, bool> predicate)
            => {|PERF007:_db.Set<T>().ToList()|}.Where(predicate).ToList();
    }
}
""");

    [Fact]
    public Task RedisWrapperPassingExpiryParameterThrough_NoDiagnostic() => Run("""
namespace Shop.Caching
{
    public sealed class RedisJsonCache
    {
        private readonly IDatabase _redis;
        public RedisJsonCache(IConnectionMultiplexer mux) => _redis = mux.GetDatabase();

        public Task<bool> SetAsync<T>(string key, T value, TimeSpan? expiry)
            => _redis.StringSetAsync(key, JsonSerializer.Serialize(value), expiry, When.Always);
    }
}
""");

    [Fact]
    public Task GrpcCallWithElementInMetadataOnly_Reports() => Run("""
namespace Shop.Shipping
{
    public sealed class CarrierQuotes
    {
        private readonly ShippingService.ShippingServiceClient _client;
        public CarrierQuotes(ShippingService.ShippingServiceClient client) => _client = client;

        public async Task<List<decimal>> QuoteEachCarrierAsync(QuoteRequest request, IEnumerable<string> carriers, CancellationToken ct)
        {
            var amounts = new List<decimal>();
            foreach (var carrier in carriers)
            {
                var headers = new Metadata { { "x-carrier", carrier } };
                var reply = await {|PERF008:_client.GetQuoteAsync(request, headers, cancellationToken: ct)|};
                amounts.Add(reply.Amount);
            }

            return amounts;
        }
    }
}
""");

    // ================================================================================================
    // Seventh batch: names that look like the APIs, symbols that are not
    // ================================================================================================

    [Fact]
    public Task AppOwnGetAttributeOnInProcessQueryInterface_NotRefit_NoDiagnostic() => Run("""
namespace Shop.Routing
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class GetAttribute : Attribute
    {
        public GetAttribute(string path) => Path = path;
        public string Path { get; }
    }

    public interface IProductQueries
    {
        [Get("/products/{id}")]
        Task<ProductDto> GetProductAsync(int id);
    }

    public sealed class InProcessProductQueries : IProductQueries
    {
        private readonly Dictionary<int, ProductDto> _snapshot;
        public InProcessProductQueries(Dictionary<int, ProductDto> snapshot) => _snapshot = snapshot;

        public Task<ProductDto> GetProductAsync(int id) => Task.FromResult(_snapshot.GetValueOrDefault(id));
    }

    public sealed class ComparisonTable
    {
        private readonly IProductQueries _queries;
        public ComparisonTable(IProductQueries queries) => _queries = queries;

        public async Task<List<ProductDto>> BuildAsync(IEnumerable<int> ids)
        {
            var rows = new List<ProductDto>();
            foreach (var id in ids)
            {
                rows.Add(await _queries.GetProductAsync(id));
            }

            return rows;
        }
    }
}
""");

    [Fact]
    public Task AppOwnCacheInterfaceSetInController_NotIMemoryCache_NoDiagnostic() => Run("""
namespace Shop.Caching
{
    public interface IAppCache
    {
        bool TryGet<T>(string key, out T value);
        void Set(string key, object value);
    }

    public sealed class DictionaryAppCache : IAppCache
    {
        private readonly ConcurrentDictionary<string, object> _entries = new();

        public bool TryGet<T>(string key, out T value)
        {
            var found = _entries.TryGetValue(key, out var raw);
            value = found ? (T)raw : default;
            return found;
        }

        public void Set(string key, object value) => _entries[key] = value;
    }

    [ApiController]
    public sealed class LabelsController : ControllerBase
    {
        private readonly IAppCache _cache;
        public LabelsController(IAppCache cache) => _cache = cache;

        [HttpGet("api/labels/{key}")]
        public string Label(string key)
        {
            if (_cache.TryGet(key, out string label))
            {
                return label;
            }

            label = key.ToUpperInvariant();
            _cache.Set(key, label);
            return label;
        }
    }
}
""");

    [Fact]
    public Task CustomerIdWithoutNavigationInSecondModel_NotAForeignKey_Reports() => Run("""
namespace Shop.Loyalty
{
    public class Member
    {
        public int Id { get; set; }
        public string Email { get; set; }
    }

    public class PointsEntry
    {
        public int Id { get; set; }
        public int MemberId { get; set; }
        public int Points { get; set; }
        public DateTime EarnedAt { get; set; }
    }

    public class LoyaltyDbContext : DbContext
    {
        public LoyaltyDbContext(DbContextOptions<LoyaltyDbContext> options) : base(options) { }
        public DbSet<Member> Members => Set<Member>();
        public DbSet<PointsEntry> Points => Set<PointsEntry>();
    }

    public sealed class PointsBalance
    {
        private readonly LoyaltyDbContext _db;
        public PointsBalance(LoyaltyDbContext db) => _db = db;

        public Task<int> BalanceAsync(int memberId, CancellationToken ct)
            => _db.Points.Where(p => {|PERF006:p.MemberId|} == memberId).SumAsync(p => p.Points, ct);
    }
}
""");

    [Fact]
    public Task PageModelGetOrCreateAsyncWithEntrySize_NoDiagnostic() => Run("""
namespace Shop.Web
{
    public sealed class ProductPageModel : PageModel
    {
        private readonly IMemoryCache _cache;
        private readonly ShopDbContext _db;

        public ProductPageModel(IMemoryCache cache, ShopDbContext db)
        {
            _cache = cache;
            _db = db;
        }

        public Product Product { get; private set; }

        public async Task<IActionResult> OnGetAsync(string sku, CancellationToken ct)
        {
            Product = await _cache.GetOrCreateAsync("pdp:" + sku, async entry =>
            {
                entry.Size = 1;
                return await _db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Sku == sku, ct);
            });
            return Product is null ? NotFound() : Page();
        }
    }
}
""");

    [Fact]
    public Task MethodGroupsOverConstantRegionsAndLocalFormatting_NoDiagnostic() => Run("""
namespace Shop.Ops
{
    public sealed class RegionStatus
    {
        private static readonly string[] Regions = { "eu", "us", "ap" };
        private readonly HttpClient _http;

        public RegionStatus(HttpClient http) => _http = http;

        public Task<string[]> ReadAsync() => Task.WhenAll(Regions.Select(FetchAsync));

        public List<string> Keys(IEnumerable<string> skus) => skus.Select(Normalize).ToList();

        private Task<string> FetchAsync(string region) => _http.GetStringAsync($"https://{region}.shop.internal/status");

        private static string Normalize(string sku) => sku.Trim().ToUpperInvariant();
    }
}
""");
}
