using System.Threading.Tasks;
using PerfAnalyzers.CodeFixes.PooledResources;
using Xunit;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.PooledResourcePerRequestAnalyzer, PerfAnalyzers.CodeFixes.PooledResources.PooledResourceCodeFixProvider>;

namespace PerfAnalyzers.Tests.CodeFixes;

public class PERF003_CodeFixTests
{
    private const string Usings = """
using System;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

""";

    [Fact]
    public async Task HttpClientFix_ControllerWithConstructor_InjectsFactory()
    {
        await VerifyFix.CodeFixAsync(Usings + """
[ApiController]
public class WeatherController : ControllerBase
{
    private readonly string _city;

    public WeatherController()
    {
        _city = "Oslo";
    }

    [HttpGet("/weather")]
    public async Task<string> Get()
    {
        using var client = {|PERF003:new HttpClient()|};
        return await client.GetStringAsync("http://localhost:5000/forecast/" + _city);
    }
}
""", Usings + """
[ApiController]
public class WeatherController : ControllerBase
{
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly string _city;

    public WeatherController(IHttpClientFactory httpClientFactory)
    {
        _city = "Oslo";
        _httpClientFactory = httpClientFactory;
    }

    [HttpGet("/weather")]
    public async Task<string> Get()
    {
        using var client = _httpClientFactory.CreateClient();
        return await client.GetStringAsync("http://localhost:5000/forecast/" + _city);
    }
}
""", includeModel: false, equivalenceKey: PooledResourceCodeFixProvider.HttpClientKey);
    }

    [Fact]
    public async Task HttpClientFix_ObjectInitializer_MovesSettingsAfterCreateClient()
    {
        await VerifyFix.CodeFixAsync(Usings + """
[ApiController]
public class WeatherController : ControllerBase
{
    [HttpGet("/weather")]
    public async Task<string> Get()
    {
        var client = {|PERF003:new HttpClient { BaseAddress = new Uri("http://localhost:5000/") }|};
        return await client.GetStringAsync("forecast");
    }
}
""", Usings + """
[ApiController]
public class WeatherController : ControllerBase
{
    private readonly IHttpClientFactory _httpClientFactory;

    public WeatherController(IHttpClientFactory httpClientFactory)
    {
        _httpClientFactory = httpClientFactory;
    }

    [HttpGet("/weather")]
    public async Task<string> Get()
    {
        var client = _httpClientFactory.CreateClient();
        client.BaseAddress = new Uri("http://localhost:5000/");
        return await client.GetStringAsync("forecast");
    }
}
""", includeModel: false, equivalenceKey: PooledResourceCodeFixProvider.HttpClientKey);
    }

    [Fact]
    public async Task HttpClientFix_StaticHelperInLoop_SharedStaticInstance()
    {
        await VerifyFix.CodeFixAsync(Usings + """
public static class Pinger
{
    public static async Task PingAllAsync(string[] urls)
    {
        foreach (var url in urls)
        {
            using var client = {|PERF003:new HttpClient()|};
            await client.GetAsync(url);
        }
    }
}
""", Usings + """
public static class Pinger
{
    private static readonly HttpClient SharedHttpClient = new HttpClient();

    public static async Task PingAllAsync(string[] urls)
    {
        foreach (var url in urls)
        {
            var client = SharedHttpClient;
            await client.GetAsync(url);
        }
    }
}
""", includeModel: false, equivalenceKey: PooledResourceCodeFixProvider.HttpClientKey);
    }

    [Fact]
    public async Task PoolingFix_RemovesPoolingFalseFromLiteral()
    {
        await VerifyFix.CodeFixAsync(Usings + """
[ApiController]
public class OrdersController : ControllerBase
{
    [HttpGet("/orders/count")]
    public async Task<long> Count()
    {
        await using var connection = {|PERF003:new NpgsqlConnection("Host=localhost;Pooling=false;Database=shop")|};
        await connection.OpenAsync();
        return 1;
    }
}
""", Usings + """
[ApiController]
public class OrdersController : ControllerBase
{
    [HttpGet("/orders/count")]
    public async Task<long> Count()
    {
        await using var connection = new NpgsqlConnection("Host=localhost;Database=shop");
        await connection.OpenAsync();
        return 1;
    }
}
""", includeModel: false, equivalenceKey: PooledResourceCodeFixProvider.PoolingKey);
    }
}
