using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using PerfAnalyzers.Core;
using Xunit;
using VerifyOptions = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.OptionsValidationAnalyzer>;
using VerifyPerf002 = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.AwaitedRemoteLoggingAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>PERF000: perf_analyzers.* values in .editorconfig are validated, and rules fall back to the defaults.</summary>
public class PERF000_OptionsValidationTests
{
    private const string Source = "public class C { }";

    private static Task ValidateAsync(string editorConfigBody, params DiagnosticResult[] expected)
        => ValidateAsync(new[] { ("/.editorconfig", "root = true\n[*.cs]\n" + editorConfigBody + "\n") }, expected);

    private static Task ValidateAsync((string Path, string Text)[] configFiles, params DiagnosticResult[] expected)
    {
        var test = new VerifyOptions.Test { TestCode = Source };
        foreach (var file in configFiles)
        {
            test.TestState.AnalyzerConfigFiles.Add((file.Path, file.Text));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Invalid(string value, string key, string defaultDisplay, string expected)
        => new DiagnosticResult(RuleDescriptors.PERF000_InvalidOptionValue).WithNoLocation().WithArguments(value, key, defaultDisplay, expected);

    private static DiagnosticResult Unknown(string key)
        => new DiagnosticResult(RuleDescriptors.PERF000_UnknownOption).WithNoLocation()
            .WithArguments(key, "perf_analyzers.remote_logging_methods, perf_analyzers.remote_logging_methods_exclude, perf_analyzers.cache_expiration_minutes, perf_analyzers.small_tables");

    private const string Minutes = "a positive whole number of minutes";
    private const string Names = "comma-separated fully qualified type names or Namespace.Type.Method entries";

    [Fact]
    public Task CacheExpirationMinutes_NotANumber_ReportsKeyValueAndDefault()
        => ValidateAsync("perf_analyzers.cache_expiration_minutes = x", Invalid("x", "perf_analyzers.cache_expiration_minutes", "5", Minutes));

    [Theory]
    [InlineData("-3")]
    [InlineData("0")]
    [InlineData("2.5")]
    [InlineData("5m")]
    [InlineData("99999999999")]
    public Task CacheExpirationMinutes_NegativeZeroFractionUnitOrOverflow_Reports(string value)
        => ValidateAsync("perf_analyzers.cache_expiration_minutes = " + value, Invalid(value, "perf_analyzers.cache_expiration_minutes", "5", Minutes));

    [Theory]
    [InlineData("1")]
    [InlineData("5")]
    [InlineData("1440")]
    public Task CacheExpirationMinutes_PositiveWholeNumber_NoDiagnostic(string value)
        => ValidateAsync("perf_analyzers.cache_expiration_minutes = " + value);

    [Fact]
    public Task CacheExpirationMinutes_PerRuleKeyInvalid_ReportsPerRuleKey()
        => ValidateAsync(
            "perf_analyzers.cache_expiration_minutes = 10\nperf_analyzers.PERF004.cache_expiration_minutes = ten",
            Invalid("ten", "perf_analyzers.perf004.cache_expiration_minutes", "5", Minutes));

    [Theory]
    [InlineData("Acme.Audit.AuditClient.WriteAsync()")]
    [InlineData("Acme.Audit.AuditClient::WriteAsync")]
    [InlineData("Acme..AuditClient")]
    [InlineData("Acme.Audit.AuditClient<T>")]
    [InlineData("Acme.Audit AuditClient")]
    [InlineData("Acme.Shipper, 42Shipper")]
    [InlineData(",")]
    public Task RemoteLoggingMethods_MalformedEntry_Reports(string value)
        => ValidateAsync("perf_analyzers.remote_logging_methods = " + value, Invalid(value, "perf_analyzers.remote_logging_methods", "(none)", Names));

    [Theory]
    [InlineData("Acme.Audit.AuditClient.WriteAsync")]
    [InlineData("Acme.Telemetry.EventShipper, Acme.Audit.AuditClient.WriteAsync")]
    [InlineData("TelemetryShipper")]
    [InlineData("Acme.Shipper,")]
    [InlineData("_Acme.Shipper2")]
    public Task RemoteLoggingMethods_DottedNames_NoDiagnostic(string value)
        => ValidateAsync("perf_analyzers.remote_logging_methods = " + value + "\nperf_analyzers.remote_logging_methods_exclude = " + value);

    [Fact]
    public Task RemoteLoggingMethodsExclude_Malformed_Reports()
        => ValidateAsync("perf_analyzers.remote_logging_methods_exclude = Acme/Logging/BufferedLogClient",
            Invalid("Acme/Logging/BufferedLogClient", "perf_analyzers.remote_logging_methods_exclude", "(none)", Names));

    [Fact]
    public Task MisspelledKey_ReportsUnknownOption()
        => ValidateAsync("perf_analyzers.cache_expiraton_minutes = 10", Unknown("perf_analyzers.cache_expiraton_minutes"));

    [Fact]
    public Task PerRuleKey_ForRuleThatDoesNotReadTheOption_ReportsUnknownOption()
        => ValidateAsync("perf_analyzers.PERF001.cache_expiration_minutes = 10", Unknown("perf_analyzers.perf001.cache_expiration_minutes"));

    [Fact]
    public Task OtherAnalyzersKeys_AndSeverities_NoDiagnostic()
        => ValidateAsync("dotnet_diagnostic.PERF001.severity = error\nperfanalyzers.anything = x\nperf_analyzers_other = 1\nindent_size = 4");

    [Fact]
    public Task NoEditorConfig_NoDiagnostic()
        => ValidateAsync(System.Array.Empty<(string, string)>());

    [Fact]
    public Task SameInvalidValue_InManySectionsAndFiles_ReportedOnce()
    {
        var test = new VerifyOptions.Test();
        test.TestState.Sources.Add(("/src/A.cs", "public class A { }"));
        test.TestState.Sources.Add(("/src/sub/B.cs", "public class B { }"));
        test.TestState.Sources.Add(("/src/sub/C.cs", "public class C { }"));
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nperf_analyzers.cache_expiration_minutes = x\n"));
        test.TestState.AnalyzerConfigFiles.Add(("/src/sub/.editorconfig", "[B.cs]\nindent_size = 2\n"));
        test.ExpectedDiagnostics.Add(Invalid("x", "perf_analyzers.cache_expiration_minutes", "5", Minutes));
        return test.RunAsync();
    }

    [Fact]
    public Task DifferentInvalidValuesPerSection_EachReported()
    {
        var test = new VerifyOptions.Test();
        test.TestState.Sources.Add(("/src/A.cs", "public class A { }"));
        test.TestState.Sources.Add(("/src/B.cs", "public class B { }"));
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nperf_analyzers.cache_expiration_minutes = x\n[B.cs]\nperf_analyzers.cache_expiration_minutes = -1\n"));
        test.ExpectedDiagnostics.Add(Invalid("-1", "perf_analyzers.cache_expiration_minutes", "5", Minutes));
        test.ExpectedDiagnostics.Add(Invalid("x", "perf_analyzers.cache_expiration_minutes", "5", Minutes));
        return test.RunAsync();
    }

    [Fact]
    public Task GlobalConfig_InvalidValue_Reports()
        => ValidateAsync(
            new[] { ("/.globalconfig", "is_global = true\nperf_analyzers.cache_expiration_minutes = soon\n") },
            Invalid("soon", "perf_analyzers.cache_expiration_minutes", "5", Minutes));

    [Fact]
    public void Descriptor_IsConfigurationCategory_SoPerformanceCategorySeverityDoesNotHideIt()
    {
        Assert.Equal("Configuration", RuleDescriptors.PERF000_InvalidOptionValue.Category);
        Assert.Equal(DiagnosticSeverity.Warning, RuleDescriptors.PERF000_InvalidOptionValue.DefaultSeverity);
        Assert.Contains(WellKnownDiagnosticTags.CompilationEnd, RuleDescriptors.PERF000_InvalidOptionValue.CustomTags);
    }

    // ---- the rules read through the catalog: per-rule wins, invalid falls back to the default ----

    private const string Perf002Source = """
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;

namespace Acme
{
    public class Shipper
    {
        public Task PushAsync(string payload) => Task.CompletedTask;
    }
}

[ApiController]
public class OrdersController : ControllerBase
{
    private readonly Acme.Shipper _shipper = new Acme.Shipper();

    [HttpPost("/orders")]
    public async Task<IActionResult> Create()
    {
        await MARK;
        return Ok();
    }
}
""";

    private static Task Perf002Async(string editorConfigBody, bool reports)
    {
        var call = reports ? "{|PERF002:_shipper.PushAsync(\"x\")|}" : "_shipper.PushAsync(\"x\")";
        var test = new VerifyPerf002.Test { TestCode = Perf002Source.Replace("MARK", call) };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\n" + editorConfigBody + "\n"));
        return test.RunAsync();
    }

    [Fact]
    public Task RemoteLoggingMethods_PerRuleKey_Reports()
        => Perf002Async("perf_analyzers.PERF002.remote_logging_methods = Acme.Shipper.PushAsync", reports: true);

    [Fact]
    public Task RemoteLoggingMethods_PerRuleKeyWinsOverSharedKey_Reports()
        => Perf002Async("perf_analyzers.remote_logging_methods = Acme.Other\nperf_analyzers.PERF002.remote_logging_methods = Acme.Shipper", reports: true);

    [Fact]
    public Task RemoteLoggingMethods_PerRuleKeyWinsOverSharedKey_DoesNotReport()
        => Perf002Async("perf_analyzers.remote_logging_methods = Acme.Shipper\nperf_analyzers.PERF002.remote_logging_methods = Acme.Other", reports: false);

    [Fact]
    public Task RemoteLoggingMethods_MalformedValue_FallsBackToNone_DoesNotReport()
        => Perf002Async("perf_analyzers.remote_logging_methods = Acme.Shipper.PushAsync()", reports: false);

    [Fact]
    public Task RemoteLoggingMethods_OneMalformedEntry_WholeValueIgnored_DoesNotReport()
        => Perf002Async("perf_analyzers.remote_logging_methods = Acme.Shipper.PushAsync, Acme::Other", reports: false);

    // ---- the catalog itself ----

    [Theory]
    [InlineData("perf_analyzers.cache_expiration_minutes", "cache_expiration_minutes", null)]
    [InlineData("perf_analyzers.perf004.cache_expiration_minutes", "cache_expiration_minutes", "PERF004")]
    [InlineData("perf_analyzers.PERF002.remote_logging_methods", "remote_logging_methods", "PERF002")]
    public void TryResolveKey_KnownForms_Resolve(string key, string name, string? ruleId)
    {
        Assert.True(PerfOptions.TryResolveKey(key, out var option, out var rule));
        Assert.Equal(name, option!.Name);
        Assert.Equal(ruleId, rule);
    }

    [Fact]
    public void CacheExpirationMinutes_ReadsPerRuleFirst_ThenShared_ElseNull()
    {
        var option = PerfOptions.CacheExpirationMinutes;
        Assert.Equal("7", option.GetValidValue(new Options(("perf_analyzers.cache_expiration_minutes", "3"), ("perf_analyzers.perf004.cache_expiration_minutes", "7")), "PERF004"));
        Assert.Equal("3", option.GetValidValue(new Options(("perf_analyzers.cache_expiration_minutes", "3")), "PERF004"));
        Assert.Null(option.GetValidValue(new Options(("perf_analyzers.cache_expiration_minutes", "0")), "PERF004"));
        Assert.Null(option.GetValidValue(new Options(), "PERF004"));
    }

    private sealed class Options : AnalyzerConfigOptions
    {
        private readonly System.Collections.Generic.Dictionary<string, string> _values = new(KeyComparer);

        public Options(params (string Key, string Value)[] values)
        {
            foreach (var (key, value) in values)
            {
                _values[key] = value;
            }
        }

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
    }
}
