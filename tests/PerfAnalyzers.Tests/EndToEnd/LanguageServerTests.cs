using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace PerfAnalyzers.Tests.EndToEnd;

/// <summary>
/// The packed package where users see it: in an editor. Starts the csharp-ls language server (dotnet tool, pinned
/// version, cached under tests/.e2e/tools) over a copy of the sample app that consumes the package, speaks LSP over
/// stdio, pulls diagnostics for Controllers/PostsController.cs and asks for the light bulb at a PERF001 site.
/// </summary>
/// <remarks>
/// One server session serves both tests (about 30 s: load the project, run the analyzers); it is shut down with
/// <c>shutdown</c>/<c>exit</c> before the tests assert, and killed with its build hosts if it does not exit.
/// </remarks>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class LanguageServerTests
{
    public const string CsharpLsVersion = "0.28.0";
    public const string OpenedFile = "Controllers/PostsController.cs";

    private static readonly object SessionLock = new();
    private static Lazy<LspSession>? _session;
    private readonly EndToEndFixture _e2e;
    private readonly ITestOutputHelper _output;

    public LanguageServerTests(EndToEndFixture e2e, ITestOutputHelper output)
    {
        _e2e = e2e;
        _output = output;
    }

    [Fact]
    public void CsharpLs_PullDiagnostics_ReportPerf001AtEveryMarkedLineOfPostsController()
    {
        var session = Session();
        var expected = session.Markers.Select(m => m.Line).OrderBy(l => l).ToList();
        var reported = session.Perf001.Select(d => d.Line).OrderBy(l => l).ToList();

        Assert.True(expected.Count > 0, $"No '// PERF001' markers in {OpenedFile} of the sample.");
        Assert.True(expected.SequenceEqual(reported),
            $"PERF001 lines from textDocument/diagnostic: [{string.Join(", ", reported)}]; markers: [{string.Join(", ", expected)}].{session.Describe()}");

        var lines = System.IO.File.ReadAllLines(Path.Combine(session.ProjectDirectory, OpenedFile));
        foreach (var diagnostic in session.Perf001)
        {
            var text = lines[diagnostic.Line - 1];
            var squiggle = diagnostic.StartLine == diagnostic.EndLine && diagnostic.EndCharacter <= text.Length
                ? text.Substring(diagnostic.StartCharacter, diagnostic.EndCharacter - diagnostic.StartCharacter)
                : "";
            Assert.True(diagnostic.Severity == 2, $"Expected severity 2 (Warning) at line {diagnostic.Line}: {diagnostic.Json}{session.Describe()}");
            Assert.True(diagnostic.Href?.EndsWith("docs/rules/PERF001.md", StringComparison.Ordinal) == true,
                $"Expected codeDescription.href ending in docs/rules/PERF001.md at line {diagnostic.Line}: {diagnostic.Json}{session.Describe()}");
            Assert.True(squiggle.Contains('(', StringComparison.Ordinal) && squiggle.EndsWith(')') && !squiggle.Contains("//", StringComparison.Ordinal),
                $"Expected the squiggle on the round-trip call of line {diagnostic.Line}, got '{squiggle}': {diagnostic.Json}{session.Describe()}");
        }
    }

    /// <summary>
    /// csharp-ls 0.28.0 has no light bulb for analyzer-package code fixes, by design of its codeAction handler: it
    /// instantiates CodeFixProviders by reflection only from Roslyn's own assemblies (Microsoft.CodeAnalysis.Features,
    /// .CSharp.Features, .Workspaces) and matches them only against <c>SemanticModel.GetDiagnostics()</c>, the
    /// compiler's diagnostics; the project's analyzer references (PerfAnalyzers.CodeFixes.dll) are never asked for
    /// fixers. This pins that: the request is served at the PERF001 span (Roslyn's refactorings are listed) and
    /// PerfAnalyzers' fixes are not. If it starts failing because "Load with Include"/"Fetch all in one query" appear,
    /// the server learned to load them: turn the assertion around. The light bulbs themselves are proven through the
    /// Roslyn Workspaces API by <see cref="WorkspaceTests"/> (the package's exported fixers at PERF001/PERF003/PERF004
    /// sites), and the fixes by <see cref="DotnetFormatTests"/> (dotnet format loads the analyzer references' fixers).
    /// </summary>
    [Fact]
    public void CsharpLs_CodeActionAtPerf001_ListsRoslynActionsButNoAnalyzerPackageFix()
    {
        var session = Session();
        Assert.True(session.CodeActions.Count > 0, "No PERF001 diagnostic to ask textDocument/codeAction at." + session.Describe());

        var first = session.CodeActions[0];
        Assert.True(first.Error is null, $"textDocument/codeAction at line {first.Line} failed: {first.Error}{session.Describe()}");
        Assert.True(first.Titles.Count > 0,
            $"textDocument/codeAction at line {first.Line} returned no action at all (expected at least Roslyn's refactorings, which shows the request was served at that span).{session.Describe()}");

        var ours = session.CodeActions.SelectMany(a => a.Titles.Where(IsPerfAnalyzersFix).Select(t => $"line {a.Line}: {t}")).ToList();
        Assert.True(ours.Count == 0,
            "csharp-ls now offers PerfAnalyzers' code fixes: " + string.Join("; ", ours)
            + ". It did not in 0.28.0 (its codeAction handler only uses Roslyn's built-in fixers); turn this assertion into "
            + "'Load with Include and/or Fetch all in one query is offered'." + session.Describe());
    }

    internal static bool IsPerfAnalyzersFix(string title)
        => title.Contains("Load with Include", StringComparison.Ordinal) || title.Contains("Fetch all in one query", StringComparison.Ordinal);

    private LspSession Session()
    {
        lock (SessionLock)
        {
            var e2e = _e2e;
            _session ??= new Lazy<LspSession>(() => LspSession.Run(e2e), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        var session = _session.Value;
        _output.WriteLine(session.Summary());
        return session;
    }
}

/// <summary>One PERF00n diagnostic from textDocument/diagnostic (LSP positions are 0-based; <see cref="Line"/> is 1-based).</summary>
public sealed record LspDiagnostic(string Code, int StartLine, int StartCharacter, int EndLine, int EndCharacter, int? Severity, string? Href, string Message, string Json)
{
    public int Line => StartLine + 1;
}

/// <summary>What textDocument/codeAction returned at one diagnostic.</summary>
public sealed record LspCodeActions(int Line, IReadOnlyList<string> Titles, string? Error, string Json);

/// <summary>One csharp-ls session over the sample copy, run to the end; its observations, for the tests to assert on.</summary>
internal sealed class LspSession
{
    private static readonly TimeSpan DiagnosticsDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(90);

    public required string ProjectDirectory { get; init; }

    public required IReadOnlyList<SourceMarker> Markers { get; init; }

    public List<LspDiagnostic> Perf001 { get; } = new();

    public List<LspCodeActions> CodeActions { get; } = new();

    public List<string> Timeline { get; } = new();

    public List<string> ConfigurationRequests { get; } = new();

    public string AllDiagnostics { get; set; } = "";

    public IReadOnlyList<string> ServerLog { get; set; } = Array.Empty<string>();

    public IReadOnlyList<string> ServerStdErr { get; set; } = Array.Empty<string>();

    /// <summary>Timeline, configuration requests and code actions: written to the test output.</summary>
    public string Summary()
        => string.Join(Environment.NewLine, Timeline) + Environment.NewLine
           + "configuration requests: " + string.Join(" | ", ConfigurationRequests);

    public string Describe()
        => Environment.NewLine + "----- session -----" + Environment.NewLine
           + string.Join(Environment.NewLine, Timeline) + Environment.NewLine
           + "configuration requests: " + string.Join(" | ", ConfigurationRequests) + Environment.NewLine
           + "last textDocument/diagnostic items: " + AllDiagnostics + Environment.NewLine
           + "code actions: " + string.Join(Environment.NewLine + "  ", CodeActions.Select(c => $"line {c.Line}: [{string.Join(" | ", c.Titles)}] {c.Error}")) + Environment.NewLine
           + "----- server messages -----" + Environment.NewLine + string.Join(Environment.NewLine, ServerLog.TakeLast(80)) + Environment.NewLine
           + "----- server stderr (last 60 lines) -----" + Environment.NewLine + string.Join(Environment.NewLine, ServerStdErr.TakeLast(60)) + Environment.NewLine
           + "-------------------";

    public static LspSession Run(EndToEndFixture e2e)
    {
        var clock = Stopwatch.StartNew();
        var server = EnsureCsharpLs(e2e);
        var copy = SampleAppCopy.Create(e2e, "lsp");
        var restore = copy.Restore();
        if (!restore.Succeeded)
        {
            throw new InvalidOperationException("Restoring the sample copy failed." + Environment.NewLine + restore.Describe());
        }

        var session = new LspSession
        {
            ProjectDirectory = copy.ProjectDirectory,
            Markers = copy.Markers("PERF001").Where(m => m.File == LanguageServerTests.OpenedFile).ToList(),
        };
        session.Timeline.Add($"{clock.Elapsed.TotalSeconds,6:F1}s csharp-ls {LanguageServerTests.CsharpLsVersion} ready ({server.How}); sample copy restored ({restore.Elapsed.TotalSeconds:F1}s)");

        using var client = LspClient.Start(DotnetCli.DotnetPath, new[] { server.Dll, "--loglevel", "info" }, copy.Root, session.Answer);
        try
        {
            session.Converse(client, copy, clock).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            session.ServerLog = client.Log;
            session.ServerStdErr = client.StdErr;
            throw new InvalidOperationException($"The LSP session failed: {ex.Message}{session.Describe()}", ex);
        }
        finally
        {
            client.Kill();
            session.Timeline.Add($"{clock.Elapsed.TotalSeconds,6:F1}s session over (server exit code {client.ExitCode?.ToString() ?? "none"})");
        }

        session.ServerLog = client.Log;
        session.ServerStdErr = client.StdErr;
        return session;
    }

    /// <summary>Installs csharp-ls into tests/.e2e/tools/csharp-ls-VERSION once; later runs reuse it.</summary>
    private static (string Dll, string How) EnsureCsharpLs(EndToEndFixture e2e)
    {
        var toolPath = Path.Combine(e2e.WorkRoot, "tools", "csharp-ls-" + LanguageServerTests.CsharpLsVersion);
        string? Find() => Directory.Exists(toolPath)
            ? Directory.EnumerateFiles(toolPath, "CSharpLanguageServer.dll", SearchOption.AllDirectories).FirstOrDefault()
            : null;

        if (Find() is { } cached)
        {
            return (cached, "cached in " + toolPath);
        }

        var install = DotnetCli.Run(e2e.RepoRoot, EndToEndFixture.RestoreTimeout,
            "tool", "install", "csharp-ls", "--version", LanguageServerTests.CsharpLsVersion, "--tool-path", toolPath);
        return Find() is { } installed
            ? (installed, $"installed in {install.Elapsed.TotalSeconds:F1}s")
            : throw new InvalidOperationException("`dotnet tool install csharp-ls` did not install CSharpLanguageServer.dll." + Environment.NewLine + install.Describe());
    }

    /// <summary>Requests from the server: workspace/configuration gets analyzersEnabled for the "csharp" section.</summary>
    private JsonNode? Answer(string method, JsonElement parameters)
    {
        if (method != "workspace/configuration")
        {
            return null; // client/registerCapability, window/workDoneProgress/create: acknowledged
        }

        var items = parameters.GetProperty("items").EnumerateArray().ToList();
        lock (ConfigurationRequests)
        {
            ConfigurationRequests.Add(string.Join(", ", items.Select(i => i.GetRawText())));
        }

        var answer = new JsonArray();
        foreach (var item in items)
        {
            var section = item.TryGetProperty("section", out var s) ? s.GetString() : null;
            answer.Add(section switch
            {
                "csharp" => new JsonObject { ["analyzersEnabled"] = true },
                "csharp.analyzersEnabled" => JsonValue.Create(true),
                _ => null,
            });
        }

        return answer;
    }

    private async Task Converse(LspClient client, SampleAppCopy copy, Stopwatch clock)
    {
        void Mark(string what) => Timeline.Add($"{clock.Elapsed.TotalSeconds,6:F1}s {what}");

        var rootUri = new Uri(copy.Root + Path.DirectorySeparatorChar).AbsoluteUri.TrimEnd('/');
        var path = Path.Combine(copy.ProjectDirectory, LanguageServerTests.OpenedFile);
        var uri = new Uri(path).AbsoluteUri;
        var document = new JsonObject { ["uri"] = uri };

        var initialize = await client.RequestAsync("initialize", new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["clientInfo"] = new JsonObject { ["name"] = "PerfAnalyzers.Tests" },
            ["rootUri"] = rootUri,
            ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = rootUri, ["name"] = "sample" }),
            ["initializationOptions"] = new JsonObject { ["csharp"] = new JsonObject { ["analyzersEnabled"] = true } },
            ["capabilities"] = new JsonObject
            {
                ["workspace"] = new JsonObject { ["configuration"] = true, ["workspaceFolders"] = true },
                ["textDocument"] = new JsonObject
                {
                    ["synchronization"] = new JsonObject { ["dynamicRegistration"] = false },
                    ["diagnostic"] = new JsonObject { ["dynamicRegistration"] = true, ["relatedDocumentSupport"] = false },
                    ["codeAction"] = new JsonObject
                    {
                        ["dynamicRegistration"] = false,
                        ["codeActionLiteralSupport"] = new JsonObject
                        {
                            ["codeActionKind"] = new JsonObject { ["valueSet"] = new JsonArray("", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite", "source") },
                        },
                        ["isPreferredSupport"] = true,
                        ["dataSupport"] = true,
                        ["resolveSupport"] = new JsonObject { ["properties"] = new JsonArray("edit") },
                    },
                },
            },
        }, RequestTimeout);
        Mark("initialize answered; server capabilities: "
             + string.Join(", ", initialize.GetProperty("capabilities").EnumerateObject().Select(p => p.Name)));

        client.Notify("initialized", new JsonObject());
        client.Notify("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = await System.IO.File.ReadAllTextAsync(path) },
        });
        Mark("initialized, didOpen " + LanguageServerTests.OpenedFile);

        // Pull diagnostics until the project is loaded and the analyzers have run (the first pull waits for the load).
        var deadline = clock.Elapsed + DiagnosticsDeadline;
        for (var poll = 1; Perf001.Count == 0; poll++)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"No PERF001 from textDocument/diagnostic within {DiagnosticsDeadline.TotalSeconds:F0}s ({poll - 1} polls).");
            }

            try
            {
                var remaining = deadline - clock.Elapsed;
                var report = await client.RequestAsync(
                    "textDocument/diagnostic", new JsonObject { ["textDocument"] = document.DeepClone() }, remaining > TimeSpan.FromSeconds(5) ? remaining : TimeSpan.FromSeconds(5));
                var items = report.ValueKind == JsonValueKind.Object && report.TryGetProperty("items", out var i) ? i : default;
                AllDiagnostics = items.ValueKind == JsonValueKind.Array ? items.GetRawText() : report.GetRawText();
                foreach (var item in items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : Enumerable.Empty<JsonElement>())
                {
                    if (Parse(item) is { Code: "PERF001" } diagnostic)
                    {
                        Perf001.Add(diagnostic);
                    }
                }

                Mark($"textDocument/diagnostic #{poll}: {(items.ValueKind == JsonValueKind.Array ? items.GetArrayLength() : 0)} items, PERF001 at lines [{string.Join(", ", Perf001.Select(d => d.Line))}]");
            }
            catch (LspErrorException ex)
            {
                Mark($"textDocument/diagnostic #{poll}: error {ex.Error}");
            }

            if (Perf001.Count == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }

        // The light bulb at each PERF001 site: what an editor shows when the cursor is on the squiggle.
        foreach (var diagnostic in Perf001)
        {
            var range = JsonNode.Parse(JsonDocument.Parse(diagnostic.Json).RootElement.GetProperty("range").GetRawText());
            try
            {
                var actions = await client.RequestAsync("textDocument/codeAction", new JsonObject
                {
                    ["textDocument"] = document.DeepClone(),
                    ["range"] = range,
                    ["context"] = new JsonObject { ["diagnostics"] = new JsonArray(JsonNode.Parse(diagnostic.Json)), ["triggerKind"] = 1 },
                }, RequestTimeout);
                var titles = actions.ValueKind == JsonValueKind.Array
                    ? actions.EnumerateArray().Select(a => a.TryGetProperty("title", out var t) ? t.GetString() ?? "" : a.GetRawText()).ToList()
                    : new List<string>();
                CodeActions.Add(new LspCodeActions(diagnostic.Line, titles, actions.ValueKind is JsonValueKind.Array ? null : "result was " + actions.ValueKind, actions.GetRawText()));
            }
            catch (LspErrorException ex)
            {
                CodeActions.Add(new LspCodeActions(diagnostic.Line, Array.Empty<string>(), ex.Error, ""));
            }

            Mark($"textDocument/codeAction at line {diagnostic.Line}: [{string.Join(" | ", CodeActions[^1].Titles)}]");
        }

        // Clean shutdown; the caller kills the process tree if the server does not exit.
        await client.RequestAsync("shutdown", null, TimeSpan.FromSeconds(20));
        client.Notify("exit", null);
        var exited = client.WaitForExit(TimeSpan.FromSeconds(10));
        Mark(exited ? $"shutdown/exit: server exited with {client.ExitCode}" : "shutdown/exit: server still running after 10s, killing it");
    }

    private static LspDiagnostic? Parse(JsonElement item)
    {
        if (!item.TryGetProperty("code", out var codeElement))
        {
            return null;
        }

        var code = codeElement.ValueKind == JsonValueKind.String ? codeElement.GetString()! : codeElement.GetRawText();
        var range = item.GetProperty("range");
        var start = range.GetProperty("start");
        var end = range.GetProperty("end");
        return new LspDiagnostic(
            code,
            start.GetProperty("line").GetInt32(),
            start.GetProperty("character").GetInt32(),
            end.GetProperty("line").GetInt32(),
            end.GetProperty("character").GetInt32(),
            item.TryGetProperty("severity", out var severity) ? severity.GetInt32() : null,
            item.TryGetProperty("codeDescription", out var description) && description.TryGetProperty("href", out var href) ? href.GetString() : null,
            item.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "",
            item.GetRawText());
    }
}
