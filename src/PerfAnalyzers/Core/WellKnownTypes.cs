using Microsoft.CodeAnalysis;

namespace PerfAnalyzers.Core;

/// <summary>
/// The library types the rules recognise, resolved once per compilation. A null member means the
/// library is not referenced, and the rules that need it skip registration entirely.
/// </summary>
internal sealed class WellKnownTypes
{
    public WellKnownTypes(Compilation compilation)
    {
        INamedTypeSymbol? Get(string metadataName) => compilation.GetTypeByMetadataName(metadataName);

        // EF Core
        DbContext = Get("Microsoft.EntityFrameworkCore.DbContext");
        DbSet = Get("Microsoft.EntityFrameworkCore.DbSet`1");
        EfQueryableExtensions = Get("Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions");
        RelationalQueryableExtensions = Get("Microsoft.EntityFrameworkCore.RelationalQueryableExtensions");
        RelationalDatabaseFacadeExtensions = Get("Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions");
        DatabaseFacade = Get("Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade");
        NavigationEntry = Get("Microsoft.EntityFrameworkCore.ChangeTracking.NavigationEntry");
        EntityEntry = Get("Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry");
        ProxiesExtensions = Get("Microsoft.EntityFrameworkCore.ProxiesExtensions");
        Ef = Get("Microsoft.EntityFrameworkCore.EF");
        ModelBuilder = Get("Microsoft.EntityFrameworkCore.ModelBuilder");

        // Dapper and ADO.NET
        DapperSqlMapper = Get("Dapper.SqlMapper");
        DapperCommandDefinition = Get("Dapper.CommandDefinition");
        DapperDefaultTypeMap = Get("Dapper.DefaultTypeMap");
        NpgsqlConnection = Get("Npgsql.NpgsqlConnection");
        DbCommand = Get("System.Data.Common.DbCommand");
        IDbCommand = Get("System.Data.IDbCommand");
        DbBatch = Get("System.Data.Common.DbBatch");
        DbDataAdapter = Get("System.Data.Common.DbDataAdapter");
        IDataAdapter = Get("System.Data.IDataAdapter");

        // BCL
        Queryable = Get("System.Linq.Queryable");
        GeneratedCodeAttribute = Get("System.CodeDom.Compiler.GeneratedCodeAttribute");
        Enumerable = Get("System.Linq.Enumerable");
        IQueryableOfT = Get("System.Linq.IQueryable`1");
        IQueryable = Get("System.Linq.IQueryable");
        IEnumerableOfT = compilation.GetSpecialType(SpecialType.System_Collections_Generic_IEnumerable_T);
        IAsyncEnumerableOfT = Get("System.Collections.Generic.IAsyncEnumerable`1");
        ListOfT = Get("System.Collections.Generic.List`1");
        Parallel = Get("System.Threading.Tasks.Parallel");
        Task = Get("System.Threading.Tasks.Task");
        ExpressionOfT = Get("System.Linq.Expressions.Expression`1");

        // ASP.NET Core (request paths)
        ControllerBase = Get("Microsoft.AspNetCore.Mvc.ControllerBase");
        ControllerAttribute = Get("Microsoft.AspNetCore.Mvc.ControllerAttribute");
        NonActionAttribute = Get("Microsoft.AspNetCore.Mvc.NonActionAttribute");
        NonControllerAttribute = Get("Microsoft.AspNetCore.Mvc.NonControllerAttribute");
        PageModel = Get("Microsoft.AspNetCore.Mvc.RazorPages.PageModel");
        ViewComponent = Get("Microsoft.AspNetCore.Mvc.ViewComponent");
        ViewComponentAttribute = Get("Microsoft.AspNetCore.Mvc.ViewComponentAttribute");
        HttpContext = Get("Microsoft.AspNetCore.Http.HttpContext");
        IMiddleware = Get("Microsoft.AspNetCore.Http.IMiddleware");
        EndpointRouteBuilderExtensions = Get("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions");
        IEndpointRouteBuilder = Get("Microsoft.AspNetCore.Routing.IEndpointRouteBuilder");
        IEndpointFilter = Get("Microsoft.AspNetCore.Http.IEndpointFilter");
        EndpointFilterExtensions = Get("Microsoft.AspNetCore.Http.EndpointFilterExtensions");
        IActionFilter = Get("Microsoft.AspNetCore.Mvc.Filters.IActionFilter");
        IAsyncActionFilter = Get("Microsoft.AspNetCore.Mvc.Filters.IAsyncActionFilter");
        IResultFilter = Get("Microsoft.AspNetCore.Mvc.Filters.IResultFilter");
        IAsyncResultFilter = Get("Microsoft.AspNetCore.Mvc.Filters.IAsyncResultFilter");
        IAsyncResourceFilter = Get("Microsoft.AspNetCore.Mvc.Filters.IAsyncResourceFilter");
        IResourceFilter = Get("Microsoft.AspNetCore.Mvc.Filters.IResourceFilter");
        IAuthorizationFilter = Get("Microsoft.AspNetCore.Mvc.Filters.IAuthorizationFilter");
        IAsyncAuthorizationFilter = Get("Microsoft.AspNetCore.Mvc.Filters.IAsyncAuthorizationFilter");
        IExceptionFilter = Get("Microsoft.AspNetCore.Mvc.Filters.IExceptionFilter");
        IAsyncExceptionFilter = Get("Microsoft.AspNetCore.Mvc.Filters.IAsyncExceptionFilter");
        Hub = Get("Microsoft.AspNetCore.SignalR.Hub");
        GrpcBindServiceMethodAttribute = Get("Grpc.Core.BindServiceMethodAttribute");
        GrpcClientBase = Get("Grpc.Core.ClientBase");
        RefitHttpMethodAttribute = Get("Refit.HttpMethodAttribute");
        HttpClientJsonExtensions = Get("System.Net.Http.Json.HttpClientJsonExtensions");
        IHostedService = Get("Microsoft.Extensions.Hosting.IHostedService");
        IServiceCollection = Get("Microsoft.Extensions.DependencyInjection.IServiceCollection");
        LazyOfT = Get("System.Lazy`1");

        // Pooled resources (recognised by metadata name; the packages are optional)
        HttpClient = Get("System.Net.Http.HttpClient");
        HttpMessageHandler = Get("System.Net.Http.HttpMessageHandler");
        HttpClientHandler = Get("System.Net.Http.HttpClientHandler");
        SocketsHttpHandler = Get("System.Net.Http.SocketsHttpHandler");
        ConnectionMultiplexer = Get("StackExchange.Redis.ConnectionMultiplexer");
        NpgsqlDataSource = Get("Npgsql.NpgsqlDataSource");
        NpgsqlDataSourceBuilder = Get("Npgsql.NpgsqlDataSourceBuilder");
        DbProviderFactory = Get("System.Data.Common.DbProviderFactory");
        DbConnection = Get("System.Data.Common.DbConnection");
        DbConnectionStringBuilder = Get("System.Data.Common.DbConnectionStringBuilder");
        MongoClient = Get("MongoDB.Driver.MongoClient");
        CosmosClient = Get("Microsoft.Azure.Cosmos.CosmosClient");
        ServiceBusClient = Get("Azure.Messaging.ServiceBus.ServiceBusClient");
        BlobServiceClient = Get("Azure.Storage.Blobs.BlobServiceClient");

        // Caches (PERF005)
        IDistributedCache = Get("Microsoft.Extensions.Caching.Distributed.IDistributedCache");
        DistributedCacheEntryOptions = Get("Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions");
        IMemoryCache = Get("Microsoft.Extensions.Caching.Memory.IMemoryCache");
        MemoryCacheExtensions = Get("Microsoft.Extensions.Caching.Memory.CacheExtensions");
        MemoryCacheEntryOptions = Get("Microsoft.Extensions.Caching.Memory.MemoryCacheEntryOptions");
        ICacheEntry = Get("Microsoft.Extensions.Caching.Memory.ICacheEntry");
        RedisDatabaseAsync = Get("StackExchange.Redis.IDatabaseAsync");
        RedisExpiration = Get("StackExchange.Redis.Expiration");
        SqlServerCache = Get("Microsoft.Extensions.Caching.SqlServer.SqlServerCache");
        PostgreSqlCache = Get("Community.Microsoft.Extensions.Caching.PostgreSql.PostgreSqlCache");
    }

    public INamedTypeSymbol? IDistributedCache { get; }
    public INamedTypeSymbol? DistributedCacheEntryOptions { get; }
    public INamedTypeSymbol? IMemoryCache { get; }
    public INamedTypeSymbol? MemoryCacheExtensions { get; }
    public INamedTypeSymbol? MemoryCacheEntryOptions { get; }
    public INamedTypeSymbol? ICacheEntry { get; }
    public INamedTypeSymbol? RedisDatabaseAsync { get; }
    public INamedTypeSymbol? RedisExpiration { get; }
    public INamedTypeSymbol? SqlServerCache { get; }
    public INamedTypeSymbol? PostgreSqlCache { get; }

    public INamedTypeSymbol? IServiceCollection { get; }
    public INamedTypeSymbol? LazyOfT { get; }
    public INamedTypeSymbol? HttpClient { get; }
    public INamedTypeSymbol? HttpMessageHandler { get; }
    public INamedTypeSymbol? HttpClientHandler { get; }
    public INamedTypeSymbol? SocketsHttpHandler { get; }
    public INamedTypeSymbol? ConnectionMultiplexer { get; }
    public INamedTypeSymbol? NpgsqlDataSource { get; }
    public INamedTypeSymbol? NpgsqlDataSourceBuilder { get; }
    public INamedTypeSymbol? DbProviderFactory { get; }
    public INamedTypeSymbol? DbConnection { get; }
    public INamedTypeSymbol? DbConnectionStringBuilder { get; }
    public INamedTypeSymbol? MongoClient { get; }
    public INamedTypeSymbol? CosmosClient { get; }
    public INamedTypeSymbol? ServiceBusClient { get; }
    public INamedTypeSymbol? BlobServiceClient { get; }

    public INamedTypeSymbol? DbContext { get; }
    public INamedTypeSymbol? DbSet { get; }
    public INamedTypeSymbol? EfQueryableExtensions { get; }
    public INamedTypeSymbol? RelationalQueryableExtensions { get; }
    public INamedTypeSymbol? RelationalDatabaseFacadeExtensions { get; }
    public INamedTypeSymbol? DatabaseFacade { get; }
    public INamedTypeSymbol? NavigationEntry { get; }
    public INamedTypeSymbol? EntityEntry { get; }
    public INamedTypeSymbol? ProxiesExtensions { get; }

    /// <summary><c>EF</c>: its <c>CompileQuery</c>/<c>CompileAsyncQuery</c> build delegates that run a query per call.</summary>
    public INamedTypeSymbol? Ef { get; }
    public INamedTypeSymbol? ModelBuilder { get; }
    public INamedTypeSymbol? DapperSqlMapper { get; }
    public INamedTypeSymbol? DapperCommandDefinition { get; }
    public INamedTypeSymbol? DapperDefaultTypeMap { get; }
    public INamedTypeSymbol? NpgsqlConnection { get; }
    public INamedTypeSymbol? DbCommand { get; }
    public INamedTypeSymbol? IDbCommand { get; }

    public INamedTypeSymbol? DbBatch { get; }
    public INamedTypeSymbol? DbDataAdapter { get; }
    public INamedTypeSymbol? IDataAdapter { get; }
    public INamedTypeSymbol? Queryable { get; }

    public INamedTypeSymbol? GeneratedCodeAttribute { get; }
    public INamedTypeSymbol? Enumerable { get; }
    public INamedTypeSymbol? IQueryableOfT { get; }
    public INamedTypeSymbol? IQueryable { get; }
    public INamedTypeSymbol IEnumerableOfT { get; }
    public INamedTypeSymbol? IAsyncEnumerableOfT { get; }
    public INamedTypeSymbol? ListOfT { get; }
    public INamedTypeSymbol? Parallel { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? ExpressionOfT { get; }
    public INamedTypeSymbol? ControllerBase { get; }
    public INamedTypeSymbol? ControllerAttribute { get; }
    public INamedTypeSymbol? NonActionAttribute { get; }
    public INamedTypeSymbol? NonControllerAttribute { get; }
    public INamedTypeSymbol? PageModel { get; }
    public INamedTypeSymbol? ViewComponent { get; }
    public INamedTypeSymbol? ViewComponentAttribute { get; }
    public INamedTypeSymbol? HttpContext { get; }
    public INamedTypeSymbol? IMiddleware { get; }
    public INamedTypeSymbol? EndpointRouteBuilderExtensions { get; }
    public INamedTypeSymbol? IEndpointRouteBuilder { get; }
    public INamedTypeSymbol? IEndpointFilter { get; }

    public INamedTypeSymbol? EndpointFilterExtensions { get; }
    public INamedTypeSymbol? IActionFilter { get; }
    public INamedTypeSymbol? IAsyncActionFilter { get; }
    public INamedTypeSymbol? IResultFilter { get; }
    public INamedTypeSymbol? IAsyncResultFilter { get; }
    public INamedTypeSymbol? IAsyncResourceFilter { get; }
    public INamedTypeSymbol? IResourceFilter { get; }
    public INamedTypeSymbol? IAuthorizationFilter { get; }
    public INamedTypeSymbol? IAsyncAuthorizationFilter { get; }
    public INamedTypeSymbol? IExceptionFilter { get; }
    public INamedTypeSymbol? IAsyncExceptionFilter { get; }
    public INamedTypeSymbol? Hub { get; }
    public INamedTypeSymbol? GrpcBindServiceMethodAttribute { get; }

    public INamedTypeSymbol? GrpcClientBase { get; }

    public INamedTypeSymbol? RefitHttpMethodAttribute { get; }

    public INamedTypeSymbol? HttpClientJsonExtensions { get; }
    public INamedTypeSymbol? IHostedService { get; }

    /// <summary>True when any data-access library the round-trip recogniser knows is referenced.</summary>
    public bool HasAnyDataAccess => DbContext is not null || DapperSqlMapper is not null || DbCommand is not null || IDbCommand is not null;
}
