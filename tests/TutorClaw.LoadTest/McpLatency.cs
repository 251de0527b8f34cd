using System.Diagnostics;
using ModelContextProtocol.Client;

namespace TutorClaw.LoadTest;

/// <summary>
/// tools/call get_learner_tier round trips, one at a time, through the C# SDK client: over stdio
/// (the client spawns the server) and over /mcp (Streamable HTTP on loopback).
/// </summary>
public static class McpLatency
{
    private const int WarmupCalls = 300;

    public static async Task<(Latencies Stdio, Latencies Http)> RunAsync(ServerBuild build, IReadOnlyDictionary<string, string> environment, int calls)
    {
        var workingDirectory = Path.Combine(Path.GetTempPath(), "tutorclaw-loadtest", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workingDirectory);
        Latencies stdio;
        try
        {
            await using var client = await McpClients.ConnectStdioAsync(build, workingDirectory, environment);
            stdio = await MeasureAsync(client, calls);
            Console.WriteLine("tools/call get_learner_tier over stdio: " + stdio.Summary());
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }

        await using var server = await ServerUnderTest.StartAsync(build, environment);
        await using var httpClient = await McpClients.ConnectHttpAsync(server.BaseAddress);
        var http = await MeasureAsync(httpClient, calls);
        Console.WriteLine("tools/call get_learner_tier over /mcp:  " + http.Summary());
        return (stdio, http);
    }

    private static async Task<Latencies> MeasureAsync(McpClient client, int calls)
    {
        var registered = await client.CallToolAsync("register_learner", new Dictionary<string, object?> { ["name"] = "Latency Probe" });
        var arguments = new Dictionary<string, object?> { ["learner_id"] = registered.StructuredContent!.Value.GetProperty("learner_id").GetString() };
        for (var i = 0; i < WarmupCalls; i++)
        {
            await CallAsync(client, arguments);
        }
        var latencies = new Latencies(calls);
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await CallAsync(client, arguments);
            latencies.Add(Stopwatch.GetTimestamp() - started);
        }
        return latencies;
    }

    private static async Task CallAsync(McpClient client, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync("get_learner_tier", arguments);
        if (result.IsError == true)
        {
            throw new InvalidOperationException("get_learner_tier answered an error.");
        }
    }
}
