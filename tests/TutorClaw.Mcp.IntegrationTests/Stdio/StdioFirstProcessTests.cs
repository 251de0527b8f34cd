using System.Text.Json;
using System.Text.RegularExpressions;

namespace TutorClaw.Mcp.IntegrationTests.Stdio;

/// <summary>
/// Issue 14's start-up order, through the built server: in --stdio mode the stdio door answers
/// initialize and tools/list without waiting for Kestrel, and the HTTP door still opens right after
/// (one process, both doors).
/// </summary>
public sealed partial class StdioFirstProcessTests : IDisposable
{
    private readonly BuiltServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Stdio_answers_initialize_and_tools_list_and_then_the_http_door_opens()
    {
        using var timeout = new CancellationTokenSource(BuiltServer.Patience);
        var process = _server.Start();
        try
        {
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line && ListeningLine().Match(line) is { Success: true } match)
                {
                    listening.TrySetResult(new Uri(match.Groups["url"].Value));
                }
            };
            process.BeginErrorReadLine();
            var stdin = process.StandardInput;
            stdin.AutoFlush = true;

            await stdin.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"stdio-first","version":"1.0"}}}""");
            var initialized = await ReadAnswerAsync(process.StandardOutput, 1, timeout.Token);
            await stdin.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
            await stdin.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
            var tools = await ReadAnswerAsync(process.StandardOutput, 2, timeout.Token);

            Assert.Equal("tutorclaw", initialized.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
            Assert.Contains(tools.GetProperty("result").GetProperty("tools").EnumerateArray(), t => t.GetProperty("name").GetString() == "get_learner_tier");
            var baseAddress = await listening.Task.WaitAsync(timeout.Token);
            using var http = new HttpClient { BaseAddress = baseAddress };
            using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), timeout.Token);
            Assert.True(health.IsSuccessStatusCode, $"GET /health answered {(int)health.StatusCode}");
        }
        finally
        {
            BuiltServer.Stop(process);
        }
    }

    private static async Task<JsonElement> ReadAnswerAsync(StreamReader stdout, int id, CancellationToken cancellationToken)
    {
        while (await stdout.ReadLineAsync(cancellationToken) is { } line)
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty("id", out var answered) && answered.ValueKind == JsonValueKind.Number && answered.GetInt32() == id)
            {
                return document.RootElement.Clone();
            }
        }
        throw new InvalidOperationException("The server closed stdout before answering.");
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
