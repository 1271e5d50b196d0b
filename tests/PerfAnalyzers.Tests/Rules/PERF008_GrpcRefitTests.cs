using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.RemoteCallPerIterationAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>
/// PERF008 against the real Grpc.Net.Client / Grpc.Core.Api / Google.Protobuf and Refit packages. The gRPC client
/// below is test input written the way protoc's C# plugin emits a client (a <c>ClientBase&lt;T&gt;</c> subclass whose
/// methods call the <c>CallInvoker</c>); the messages are plain classes with a protobuf <c>RepeatedField</c>.
/// </summary>
public class PERF008_GrpcRefitTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf.Collections;
using Grpc.Core;
using Grpc.Net.Client;
using Refit;

""";

    private const string GrpcClient = """

namespace Inventory.V1
{
    public sealed class GetStockRequest { public string Sku { get; set; } = ""; }
    public sealed class GetStocksRequest { public RepeatedField<string> Skus { get; } = new RepeatedField<string>(); }
    public sealed class StockReply { public string Sku { get; set; } = ""; public int Quantity { get; set; } }
    public sealed class StocksReply { public RepeatedField<StockReply> Items { get; } = new RepeatedField<StockReply>(); }
    public sealed class WatchRequest { public string Warehouse { get; set; } = ""; }
    public sealed class StockUpdate { public string Sku { get; set; } = ""; public int Delta { get; set; } }
    public sealed class UpdateSummary { public int Count { get; set; } }

    public static partial class StockService
    {
        private const string ServiceName = "inventory.v1.StockService";

        private static Marshaller<T> Json<T>() where T : class
            => Marshallers.Create(m => JsonSerializer.SerializeToUtf8Bytes(m), bytes => JsonSerializer.Deserialize<T>(bytes));

        private static readonly Method<GetStockRequest, StockReply> __Method_GetStock =
            new Method<GetStockRequest, StockReply>(MethodType.Unary, ServiceName, "GetStock", Json<GetStockRequest>(), Json<StockReply>());
        private static readonly Method<GetStocksRequest, StocksReply> __Method_GetStocks =
            new Method<GetStocksRequest, StocksReply>(MethodType.Unary, ServiceName, "GetStocks", Json<GetStocksRequest>(), Json<StocksReply>());
        private static readonly Method<WatchRequest, StockUpdate> __Method_Watch =
            new Method<WatchRequest, StockUpdate>(MethodType.ServerStreaming, ServiceName, "Watch", Json<WatchRequest>(), Json<StockUpdate>());
        private static readonly Method<StockUpdate, UpdateSummary> __Method_PushUpdates =
            new Method<StockUpdate, UpdateSummary>(MethodType.ClientStreaming, ServiceName, "PushUpdates", Json<StockUpdate>(), Json<UpdateSummary>());
        private static readonly Method<GetStockRequest, StockReply> __Method_Lookup =
            new Method<GetStockRequest, StockReply>(MethodType.DuplexStreaming, ServiceName, "Lookup", Json<GetStockRequest>(), Json<StockReply>());

        public partial class StockServiceClient : ClientBase<StockServiceClient>
        {
            public StockServiceClient(ChannelBase channel) : base(channel) { }
            public StockServiceClient(CallInvoker callInvoker) : base(callInvoker) { }
            protected StockServiceClient() : base() { }
            protected StockServiceClient(ClientBaseConfiguration configuration) : base(configuration) { }

            public virtual StockReply GetStock(GetStockRequest request, Metadata headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                => GetStock(request, new CallOptions(headers, deadline, cancellationToken));
            public virtual StockReply GetStock(GetStockRequest request, CallOptions options)
                => CallInvoker.BlockingUnaryCall(__Method_GetStock, null, options, request);
            public virtual AsyncUnaryCall<StockReply> GetStockAsync(GetStockRequest request, Metadata headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                => GetStockAsync(request, new CallOptions(headers, deadline, cancellationToken));
            public virtual AsyncUnaryCall<StockReply> GetStockAsync(GetStockRequest request, CallOptions options)
                => CallInvoker.AsyncUnaryCall(__Method_GetStock, null, options, request);
            public virtual AsyncUnaryCall<StocksReply> GetStocksAsync(GetStocksRequest request, Metadata headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                => GetStocksAsync(request, new CallOptions(headers, deadline, cancellationToken));
            public virtual AsyncUnaryCall<StocksReply> GetStocksAsync(GetStocksRequest request, CallOptions options)
                => CallInvoker.AsyncUnaryCall(__Method_GetStocks, null, options, request);
            public virtual AsyncServerStreamingCall<StockUpdate> Watch(WatchRequest request, Metadata headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                => Watch(request, new CallOptions(headers, deadline, cancellationToken));
            public virtual AsyncServerStreamingCall<StockUpdate> Watch(WatchRequest request, CallOptions options)
                => CallInvoker.AsyncServerStreamingCall(__Method_Watch, null, options, request);
            public virtual AsyncClientStreamingCall<StockUpdate, UpdateSummary> PushUpdates(Metadata headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                => PushUpdates(new CallOptions(headers, deadline, cancellationToken));
            public virtual AsyncClientStreamingCall<StockUpdate, UpdateSummary> PushUpdates(CallOptions options)
                => CallInvoker.AsyncClientStreamingCall(__Method_PushUpdates, null, options);
            public virtual AsyncDuplexStreamingCall<GetStockRequest, StockReply> Lookup(Metadata headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                => Lookup(new CallOptions(headers, deadline, cancellationToken));
            public virtual AsyncDuplexStreamingCall<GetStockRequest, StockReply> Lookup(CallOptions options)
                => CallInvoker.AsyncDuplexStreamingCall(__Method_Lookup, null, options);
            protected override StockServiceClient NewInstance(ClientBaseConfiguration configuration) => new StockServiceClient(configuration);
        }
    }
}
""";

    private const string RefitApi = """

public record User(int Id, string Name);
public record Team(int Id, List<int> MemberIds);

public interface IUsersApi
{
    [Get("/users/{id}")]
    Task<User> GetUserAsync(int id, CancellationToken cancellationToken = default);

    [Get("/users")]
    Task<List<User>> GetUsersAsync([Query(CollectionFormat.Csv)] IEnumerable<int> ids, CancellationToken cancellationToken = default);

    [Post("/users/{id}/touch")]
    Task TouchAsync(int id);

    [Get("/status")]
    Task<string> StatusAsync();
}

""";

    private static Task VerifyAsync(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
        => VerifyCS.AnalyzerAsync(Usings + "using Inventory.V1;\n" + RefitApi + source + GrpcClient, includeModel: false, expected);

    // ---- positives ----

    [Fact]
    public async Task ForeachOverSkus_GrpcUnaryCallWithSkuInRequest_Reports()
    {
        await VerifyAsync("""
public class StockChecker
{
    private readonly StockService.StockServiceClient _stock;
    public StockChecker(StockService.StockServiceClient stock) => _stock = stock;

    public async Task<int> TotalAsync(IEnumerable<string> skus, CancellationToken ct)
    {
        var total = 0;
        foreach (var sku in skus)
        {
            var reply = await {|#0:_stock.GetStockAsync(new GetStockRequest { Sku = sku }, cancellationToken: ct)|};
            total += reply.Quantity;
        }
        return total;
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'StockServiceClient.GetStockAsync'", "the foreach over 'skus'"));
    }

    [Fact]
    public async Task WhenAllSelectOverSkus_GrpcUnaryResponseAsync_Reports()
    {
        await VerifyAsync("""
public class StockChecker
{
    public async Task<StockReply[]> AllAsync(GrpcChannel channel, List<string> skus)
    {
        var client = new StockService.StockServiceClient(channel);
        return await Task.WhenAll(skus.Select(sku => {|#0:client.GetStockAsync(new GetStockRequest { Sku = sku })|}.ResponseAsync));
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'StockServiceClient.GetStockAsync'", "the lambda passed to 'Select'"));
    }

    [Fact]
    public async Task ForeachOverOrderLines_BlockingGrpcCallWithRequestLocal_Reports()
    {
        await VerifyAsync("""
public record OrderLine(string Sku, int Quantity);

public class StockValidator
{
    private readonly StockService.StockServiceClient _stock;
    public StockValidator(StockService.StockServiceClient stock) => _stock = stock;

    public bool AllInStock(List<OrderLine> lines)
    {
        foreach (var line in lines)
        {
            var request = new GetStockRequest();
            request.Sku = line.Sku;
            if ({|#0:_stock.GetStock(request)|}.Quantity < line.Quantity)
            {
                return false;
            }
        }
        return true;
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'StockServiceClient.GetStock'", "the foreach over 'lines'"));
    }

    [Fact]
    public async Task ForeachOverSkus_TypedWrapperAroundGrpcClient_Reports()
    {
        await VerifyAsync("""
public interface IStockGateway { Task<int> QuantityAsync(string sku, CancellationToken ct); }

public sealed class GrpcStockGateway : IStockGateway
{
    private readonly StockService.StockServiceClient _client;
    public GrpcStockGateway(StockService.StockServiceClient client) => _client = client;

    public async Task<int> QuantityAsync(string sku, CancellationToken ct)
        => (await _client.GetStockAsync(new GetStockRequest { Sku = sku }, cancellationToken: ct)).Quantity;
}

public class ReorderJob
{
    private readonly IStockGateway _gateway;
    public ReorderJob(IStockGateway gateway) => _gateway = gateway;

    public async Task<List<string>> LowAsync(IReadOnlyList<string> skus, CancellationToken ct)
    {
        var low = new List<string>();
        foreach (var sku in skus)
        {
            if (await {|#0:_gateway.QuantityAsync(sku, ct)|} < 5)
            {
                low.Add(sku);
            }
        }
        return low;
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'IStockGateway.QuantityAsync' (sends an HTTP or gRPC request)", "the foreach over 'skus'"));
    }

    [Fact]
    public async Task ForeachOverIds_RefitClientFromRestServiceFor_Reports()
    {
        await VerifyAsync("""
public class UserDirectory
{
    public async Task<List<string>> NamesAsync(HttpClient http, List<int> ids, CancellationToken ct)
    {
        var api = RestService.For<IUsersApi>(http);
        var names = new List<string>();
        foreach (var id in ids)
        {
            var user = await {|#0:api.GetUserAsync(id, ct)|};
            names.Add(user.Name);
        }
        return names;
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'IUsersApi.GetUserAsync'", "the foreach over 'ids'"));
    }

    [Fact]
    public async Task WhenAllSelectOverMembers_InjectedRefitClient_Reports()
    {
        await VerifyAsync("""
public class TeamService
{
    private readonly IUsersApi _users;
    public TeamService(IUsersApi users) => _users = users;

    public Task<User[]> MembersAsync(Team team)
        => Task.WhenAll(team.MemberIds.Select(id => {|#0:_users.GetUserAsync(id)|}));
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'IUsersApi.GetUserAsync'", "the lambda passed to 'Select'"));
    }

    [Fact]
    public async Task ForeachOverIds_RefitPostPerId_Reports()
    {
        await VerifyAsync("""
public class Toucher
{
    private readonly IUsersApi _users;
    public Toucher(IUsersApi users) => _users = users;

    public async Task TouchAllAsync(int[] ids)
    {
        for (var i = 0; i < ids.Length; i++)
        {
            await {|#0:_users.TouchAsync(ids[i])|};
        }
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'IUsersApi.TouchAsync'", "the for loop"));
    }

    [Fact]
    public async Task ForeachOverWarehouses_ServerStreamingCallPerWarehouse_Reports()
    {
        await VerifyAsync("""
public class StockFeed
{
    private readonly StockService.StockServiceClient _stock;
    public StockFeed(StockService.StockServiceClient stock) => _stock = stock;

    public async Task<int> CountAsync(List<string> warehouses, CancellationToken ct)
    {
        var count = 0;
        foreach (var warehouse in warehouses)
        {
            using var call = {|#0:_stock.Watch(new WatchRequest { Warehouse = warehouse }, cancellationToken: ct)|};
            while (await call.ResponseStream.MoveNext(ct))
            {
                count++;
            }
        }
        return count;
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'StockServiceClient.Watch'", "the foreach over 'warehouses'"));
    }

    [Fact]
    public async Task ForeachOverSkus_CallInvokerAsyncUnaryCallDirectly_Reports()
    {
        await VerifyAsync("""
public class RawStockClient
{
    private static readonly Method<GetStockRequest, StockReply> GetStockMethod = new Method<GetStockRequest, StockReply>(
        MethodType.Unary, "inventory.v1.StockService", "GetStock",
        Marshallers.Create<GetStockRequest>(m => JsonSerializer.SerializeToUtf8Bytes(m), b => JsonSerializer.Deserialize<GetStockRequest>(b)),
        Marshallers.Create<StockReply>(m => JsonSerializer.SerializeToUtf8Bytes(m), b => JsonSerializer.Deserialize<StockReply>(b)));

    private readonly CallInvoker _invoker;
    public RawStockClient(GrpcChannel channel) => _invoker = channel.CreateCallInvoker();

    public async Task<List<StockReply>> AllAsync(List<string> skus)
    {
        var replies = new List<StockReply>();
        foreach (var sku in skus)
        {
            replies.Add(await {|#0:_invoker.AsyncUnaryCall(GetStockMethod, null, new CallOptions(), new GetStockRequest { Sku = sku })|});
        }
        return replies;
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'CallInvoker.AsyncUnaryCall'", "the foreach over 'skus'"));
    }

    [Fact]
    public async Task ForeachOverIds_RefitCustomVerbAttribute_Reports()
    {
        await VerifyAsync("""
public sealed class SearchAttribute : HttpMethodAttribute
{
    public SearchAttribute(string path) : base(path) { }
    public override HttpMethod Method => new HttpMethod("SEARCH");
}

public interface ISearchApi
{
    [Search("/documents/{id}")]
    Task<string> FindAsync(int id);
}

public class Finder
{
    public async Task<List<string>> FindAllAsync(ISearchApi api, List<int> ids)
    {
        var found = new List<string>();
        foreach (var id in ids)
        {
            found.Add(await {|#0:api.FindAsync(id)|});
        }
        return found;
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'ISearchApi.FindAsync'", "the foreach over 'ids'"));
    }

    [Fact]
    public async Task GeneratedClientInAutoGeneratedFile_ForeachOverSkus_Reports()
    {
        // protoc output lives in its own file marked <auto-generated>; the calls into it are still recognised.
        var test = new VerifyCS.Test
        {
            TestCode = Usings + """
using Inventory.V1;

public class StockChecker
{
    public async Task<int> TotalAsync(StockService.StockServiceClient stock, List<string> skus)
    {
        var total = 0;
        foreach (var sku in skus)
        {
            total += (await {|#0:stock.GetStockAsync(new GetStockRequest { Sku = sku })|}).Quantity;
        }
        return total;
    }
}
""",
        };
        test.TestState.Sources.Add(("Stock.Grpc.cs", "// <auto-generated>\n//     Generated by the protocol buffer compiler.  DO NOT EDIT!\n// </auto-generated>\n" + Usings
            + GrpcClient.Replace("public partial class StockServiceClient", "[System.CodeDom.Compiler.GeneratedCode(\"grpc_csharp_plugin\", null)]\n        public partial class StockServiceClient")));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'StockServiceClient.GetStockAsync'", "the foreach over 'skus'"));
        await test.RunAsync();
    }

    // ---- look-alikes that stay quiet ----

    [Fact]
    public async Task GrpcBatchedRequest_RepeatedFieldFilledInLoop_OneCallAfter_NoDiagnostic()
    {
        await VerifyAsync("""
public class StockChecker
{
    private readonly StockService.StockServiceClient _stock;
    public StockChecker(StockService.StockServiceClient stock) => _stock = stock;

    public async Task<Dictionary<string, int>> QuantitiesAsync(IEnumerable<string> skus, CancellationToken ct)
    {
        var request = new GetStocksRequest();
        foreach (var sku in skus)
        {
            request.Skus.Add(sku);
        }
        var reply = await _stock.GetStocksAsync(request, cancellationToken: ct);
        return reply.Items.ToDictionary(i => i.Sku, i => i.Quantity);
    }
}
""");
    }

    [Fact]
    public async Task GrpcBatchedRequestPerChunk_RepeatedFieldAddRange_NoDiagnostic()
    {
        await VerifyAsync("""
public class StockChecker
{
    private readonly StockService.StockServiceClient _stock;
    public StockChecker(StockService.StockServiceClient stock) => _stock = stock;

    public async Task<List<StockReply>> QuantitiesAsync(List<string> skus, CancellationToken ct)
    {
        var result = new List<StockReply>();
        foreach (var chunk in skus.Chunk(500))
        {
            var request = new GetStocksRequest();
            request.Skus.AddRange(chunk);
            var reply = await _stock.GetStocksAsync(request, cancellationToken: ct);
            result.AddRange(reply.Items);
        }
        return result;
    }
}
""");
    }

    [Fact]
    public async Task GrpcClientStreaming_WritePerElementToOneCall_NoDiagnostic()
    {
        await VerifyAsync("""
public class StockPublisher
{
    private readonly StockService.StockServiceClient _stock;
    public StockPublisher(StockService.StockServiceClient stock) => _stock = stock;

    public async Task<int> PushAsync(IEnumerable<StockUpdate> updates, CancellationToken ct)
    {
        using var call = _stock.PushUpdates(cancellationToken: ct);
        foreach (var update in updates)
        {
            await call.RequestStream.WriteAsync(update);
        }
        await call.RequestStream.CompleteAsync();
        var summary = await call.ResponseAsync;
        return summary.Count;
    }
}
""");
    }

    [Fact]
    public async Task GrpcDuplexStreaming_LookupPerSkuOverOneStream_NoDiagnostic()
    {
        await VerifyAsync("""
public class StockLookup
{
    private readonly StockService.StockServiceClient _stock;
    public StockLookup(StockService.StockServiceClient stock) => _stock = stock;

    public async Task<List<StockReply>> LookupAsync(List<string> skus, CancellationToken ct)
    {
        using var call = _stock.Lookup(cancellationToken: ct);
        var replies = new List<StockReply>();
        foreach (var sku in skus)
        {
            await call.RequestStream.WriteAsync(new GetStockRequest { Sku = sku });
            if (await call.ResponseStream.MoveNext(ct))
            {
                replies.Add(call.ResponseStream.Current);
            }
        }
        await call.RequestStream.CompleteAsync();
        return replies;
    }
}
""");
    }

    [Fact]
    public async Task GrpcServerStreaming_ReadAllResponsesOfOneCall_NoDiagnostic()
    {
        await VerifyAsync("""
public class StockFeed
{
    private readonly StockService.StockServiceClient _stock;
    public StockFeed(StockService.StockServiceClient stock) => _stock = stock;

    public async Task<Dictionary<string, int>> DeltasAsync(string warehouse, CancellationToken ct)
    {
        var deltas = new Dictionary<string, int>();
        using var call = _stock.Watch(new WatchRequest { Warehouse = warehouse }, cancellationToken: ct);
        await foreach (var update in call.ResponseStream.ReadAllAsync(ct))
        {
            deltas[update.Sku] = deltas.GetValueOrDefault(update.Sku) + update.Delta;
        }
        return deltas;
    }
}
""");
    }

    [Fact]
    public async Task GrpcCallOverSmallConstantWarehouseSet_NoDiagnostic()
    {
        await VerifyAsync("""
public class StockFeed
{
    private static readonly string[] Warehouses = { "ams", "fra", "dub" };
    private readonly StockService.StockServiceClient _stock;
    public StockFeed(StockService.StockServiceClient stock) => _stock = stock;

    public async Task<int> TotalAsync(CancellationToken ct)
    {
        var total = 0;
        foreach (var warehouse in Warehouses)
        {
            var reply = await _stock.GetStockAsync(new GetStockRequest { Sku = "probe-" + warehouse }, cancellationToken: ct);
            total += reply.Quantity;
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task GrpcSameRequestEveryIteration_ElementOnlyUsedAfterwards_NoDiagnostic()
    {
        await VerifyAsync("""
public record OrderLine(string Sku, int Quantity);

public class StockValidator
{
    private readonly StockService.StockServiceClient _stock;
    public StockValidator(StockService.StockServiceClient stock) => _stock = stock;

    public async Task<List<OrderLine>> CheckAsync(List<OrderLine> lines, string sku)
    {
        var request = new GetStockRequest { Sku = sku };
        var ok = new List<OrderLine>();
        foreach (var line in lines)
        {
            var reply = await _stock.GetStockAsync(request);
            if (reply.Quantity >= line.Quantity)
            {
                ok.Add(line);
            }
        }
        return ok;
    }
}
""");
    }

    [Fact]
    public async Task GrpcSingleCall_OutsideLoop_ClientMembersInLoop_NoDiagnostic()
    {
        await VerifyAsync("""
public class StockChecker
{
    public async Task<List<string>> HostsAsync(GrpcChannel channel, List<string> hosts)
    {
        var client = new StockService.StockServiceClient(channel);
        var reply = await client.GetStockAsync(new GetStockRequest { Sku = "A-1" });
        var names = new List<string>();
        foreach (var host in hosts)
        {
            var scoped = client.WithHost(host);
            names.Add(scoped.ToString() + reply.Sku);
        }
        return names;
    }
}
""");
    }

    [Fact]
    public async Task RefitBatchEndpoint_AllIdsInOneQuery_NoDiagnostic()
    {
        await VerifyAsync("""
public class TeamService
{
    private readonly IUsersApi _users;
    public TeamService(IUsersApi users) => _users = users;

    public async Task<List<string>> NamesAsync(List<Team> teams, CancellationToken ct)
    {
        var ids = new HashSet<int>();
        foreach (var team in teams)
        {
            ids.UnionWith(team.MemberIds);
        }
        var users = await _users.GetUsersAsync(ids, ct);
        return users.Select(u => u.Name).ToList();
    }
}
""");
    }

    [Fact]
    public async Task RefitBatchPerChunk_NoDiagnostic()
    {
        await VerifyAsync("""
public class UserSync
{
    private readonly IUsersApi _users;
    public UserSync(IUsersApi users) => _users = users;

    public async Task<List<User>> LoadAsync(IReadOnlyList<int> ids, CancellationToken ct)
    {
        var all = new List<User>();
        foreach (var batch in ids.Chunk(100))
        {
            all.AddRange(await _users.GetUsersAsync(batch, ct));
        }
        return all;
    }
}
""");
    }

    [Fact]
    public async Task RefitSameCallEveryIteration_NoDiagnostic()
    {
        await VerifyAsync("""
public class Health
{
    private readonly IUsersApi _users;
    public Health(IUsersApi users) => _users = users;

    public async Task<int> UpCountAsync(List<string> checks)
    {
        var up = 0;
        foreach (var check in checks)
        {
            if (await _users.StatusAsync() == check)
            {
                up++;
            }
        }
        return up;
    }
}
""");
    }

    [Fact]
    public async Task RefitInterfaceImplementedByInMemoryFake_CalledOnConcreteType_NoDiagnostic()
    {
        await VerifyAsync("""
public sealed class FakeUsersApi : IUsersApi
{
    private readonly Dictionary<int, User> _users = new();
    public Task<User> GetUserAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(_users[id]);
    public Task<List<User>> GetUsersAsync(IEnumerable<int> ids, CancellationToken cancellationToken = default) => Task.FromResult(ids.Select(i => _users[i]).ToList());
    public Task TouchAsync(int id) => Task.CompletedTask;
    public Task<string> StatusAsync() => Task.FromResult("up");
}

public class FakeUser
{
    public async Task<List<User>> LoadAsync(FakeUsersApi fake, List<int> ids)
    {
        var users = new List<User>();
        foreach (var id in ids)
        {
            users.Add(await fake.GetUserAsync(id));
        }
        return users;
    }
}
""");
    }

    [Fact]
    public async Task RefitParallelForEachAsyncWithMaxDegree_NoDiagnostic()
    {
        await VerifyAsync("""
public class Warmer
{
    private readonly IUsersApi _users;
    public Warmer(IUsersApi users) => _users = users;

    public Task WarmAsync(List<int> ids, CancellationToken ct)
        => Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (id, token) => await _users.GetUserAsync(id, token));
}
""");
    }

    [Fact]
    public async Task GrpcClientStreamingCallPerBatch_BatchIdInHeaders_NoDiagnostic()
    {
        await VerifyAsync("""
public record UpdateBatch(string Id, List<StockUpdate> Updates);

public class StockPublisher
{
    private readonly StockService.StockServiceClient _stock;
    public StockPublisher(StockService.StockServiceClient stock) => _stock = stock;

    public async Task<int> PushAsync(List<UpdateBatch> batches, CancellationToken ct)
    {
        var pushed = 0;
        foreach (var batch in batches)
        {
            using var call = _stock.PushUpdates(new Metadata { { "batch-id", batch.Id } }, cancellationToken: ct);
            foreach (var update in batch.Updates)
            {
                await call.RequestStream.WriteAsync(update);
            }
            await call.RequestStream.CompleteAsync();
            pushed += (await call.ResponseAsync).Count;
        }
        return pushed;
    }
}
""");
    }

    [Fact]
    public async Task GrpcClientPartialHelperMember_NotACall_NoDiagnostic()
    {
        await VerifyAsync("""
namespace Inventory.V1
{
    public static partial class StockService
    {
        public partial class StockServiceClient
        {
            public string CacheKey(string sku) => "stock:" + sku;
        }
    }
}

public class Keys
{
    public List<string> All(StockService.StockServiceClient client, List<string> skus)
    {
        var keys = new List<string>();
        foreach (var sku in skus)
        {
            keys.Add(client.CacheKey(sku));
        }
        return keys;
    }
}
""");
    }
}
