using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace PerfAnalyzers.Tests.EndToEnd;

/// <summary>An error response to a request.</summary>
public sealed class LspErrorException : Exception
{
    public LspErrorException(string method, string error)
        : base($"'{method}' failed: {error}")
    {
        Error = error;
    }

    public string Error { get; }
}

/// <summary>
/// A minimal JSON-RPC 2.0 client for a language server on stdio (LSP base protocol: <c>Content-Length</c> framing,
/// UTF-8 JSON bodies). Requests from the server are answered by a callback; notifications and the server's stderr
/// are kept, timestamped, for assertion messages.
/// </summary>
internal sealed class LspClient : IDisposable
{
    private const int MaxKeptLines = 400;

    private readonly Process _process;
    private readonly Stream _toServer;
    private readonly Stream _fromServer;
    private readonly Func<string, JsonElement, JsonNode?> _onServerRequest;
    private readonly ConcurrentDictionary<int, (string Method, TaskCompletionSource<JsonElement> Response)> _pending = new();
    private readonly object _writeLock = new();
    private readonly object _logLock = new();
    private readonly List<string> _log = new();
    private readonly List<string> _stderr = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _reader;
    private int _nextId;

    private LspClient(Process process, Func<string, JsonElement, JsonNode?> onServerRequest)
    {
        _process = process;
        _onServerRequest = onServerRequest;
        _toServer = process.StandardInput.BaseStream;
        _fromServer = new BufferedStream(process.StandardOutput.BaseStream);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Keep(_stderr, e.Data);
            }
        };
        process.BeginErrorReadLine();
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Notifications and requests from the server, in arrival order (window/logMessage as text).</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_logLock)
            {
                return _log.ToList();
            }
        }
    }

    public IReadOnlyList<string> StdErr
    {
        get
        {
            lock (_logLock)
            {
                return _stderr.ToList();
            }
        }
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static LspClient Start(string fileName, IEnumerable<string> arguments, string workingDirectory, Func<string, JsonElement, JsonNode?> onServerRequest)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        DotnetCli.ConfigureEnvironment(startInfo.Environment);
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        return new LspClient(process, onServerRequest);
    }

    /// <summary>Sends a request and waits for its response's <c>result</c> (an error response throws <see cref="LspErrorException"/>).</summary>
    public async Task<JsonElement> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (method, response);
        Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        try
        {
            return await response.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No response to '{method}' (id {id}) within {timeout.TotalSeconds:F0}s.");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public void Notify(string method, JsonNode? parameters)
    {
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method };
        if (parameters is not null)
        {
            message["params"] = parameters;
        }

        Send(message);
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit((int)timeout.TotalMilliseconds);

    /// <summary>Kills the server and everything it started (MSBuild build hosts) if it is still running.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Send(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        lock (_writeLock)
        {
            _toServer.Write(header);
            _toServer.Write(body);
            _toServer.Flush();
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception? failure = null;
        try
        {
            while (true)
            {
                var length = await ReadHeadersAsync().ConfigureAwait(false);
                if (length < 0)
                {
                    break;
                }

                var body = new byte[length];
                await _fromServer.ReadExactlyAsync(body).ConfigureAwait(false);
                using var document = JsonDocument.Parse(body);
                Dispatch(document.RootElement);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
            Keep(_log, "client: reading from the server failed: " + ex.Message);
        }

        foreach (var pending in _pending.Values)
        {
            pending.Response.TrySetException(new IOException(
                $"The server closed its output before answering '{pending.Method}' (exit code {ExitCode?.ToString() ?? "none yet"}).", failure));
        }
    }

    /// <summary>Reads one header block; the Content-Length, or -1 at the end of the stream.</summary>
    private async Task<int> ReadHeadersAsync()
    {
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await _fromServer.ReadAsync(one).ConfigureAwait(false) == 0)
            {
                return -1;
            }

            header.Append((char)one[0]);
        }

        foreach (var line in header.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line.Substring(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.Substring(colon + 1).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidDataException("A message without Content-Length: " + header);
    }

    private void Dispatch(JsonElement message)
    {
        var hasMethod = message.TryGetProperty("method", out var methodElement);
        var hasId = message.TryGetProperty("id", out var id);
        var parameters = message.TryGetProperty("params", out var p) ? p.Clone() : default;

        if (hasMethod && hasId)
        {
            var method = methodElement.GetString() ?? "";
            Keep(_log, $"server request {method}: {Shorten(parameters)}");
            JsonNode? result;
            try
            {
                result = _onServerRequest(method, parameters);
            }
            catch (Exception ex)
            {
                Keep(_log, $"client: answering {method} failed: {ex.Message}");
                result = null;
            }

            Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(id.GetRawText()), ["result"] = result });
            Keep(_log, $"client answered {method}: {result?.ToJsonString() ?? "null"}");
        }
        else if (hasMethod)
        {
            var method = methodElement.GetString() ?? "";
            var text = method == "window/logMessage" && parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("message", out var logMessage)
                ? "log: " + logMessage.GetString()
                : $"notification {method}: {Shorten(parameters)}";
            Keep(_log, text);
        }
        else if (hasId && id.ValueKind == JsonValueKind.Number && _pending.TryGetValue(id.GetInt32(), out var pending))
        {
            if (message.TryGetProperty("error", out var error))
            {
                pending.Response.TrySetException(new LspErrorException(pending.Method, error.GetRawText()));
            }
            else
            {
                pending.Response.TrySetResult(message.TryGetProperty("result", out var result) ? result.Clone() : default);
            }
        }
        else
        {
            Keep(_log, "client: unexpected message " + Shorten(message));
        }
    }

    private void Keep(List<string> lines, string line)
    {
        lock (_logLock)
        {
            lines.Add($"{_clock.Elapsed.TotalSeconds,6:F1}s {line}");
            if (lines.Count > MaxKeptLines)
            {
                lines.RemoveAt(0);
            }
        }
    }

    private static string Shorten(JsonElement element)
    {
        var text = element.ValueKind == JsonValueKind.Undefined ? "" : element.GetRawText();
        return text.Length > 400 ? text.Substring(0, 400) + "…" : text;
    }
}
