using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TutorClaw.LoadTest;

/// <summary>
/// Process spawn → first tools/list answer over stdio, speaking raw newline-delimited JSON-RPC so
/// that no client library start-up is in the figure: spawn, send initialize, wait for its answer,
/// send notifications/initialized and tools/list, stop the clock at the tools/list answer.
/// </summary>
public static class ColdStart
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>CpuMs: the server's user + system CPU up to the tools/list answer; steadier than wall
    /// time on a machine that other work shares.</summary>
    public sealed record Run(double InitializeMs, double ToolsListMs, double CpuMs, double RssMiB);

    public static async Task<IReadOnlyList<Run>> RunAsync(ServerBuild build, IReadOnlyDictionary<string, string> environment, int runs)
    {
        var results = new List<Run>();
        for (var i = 0; i < runs; i++)
        {
            var run = await OnceAsync(build, environment);
            results.Add(run);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cold start {i + 1}/{runs}: initialize answered at {run.InitializeMs:F0} ms, tools/list at {run.ToolsListMs:F0} ms, server CPU {run.CpuMs:F0} ms, RSS then {run.RssMiB:F1} MiB"));
        }
        return results;
    }

    private static async Task<Run> OnceAsync(ServerBuild build, IReadOnlyDictionary<string, string> environment)
    {
        var workingDirectory = Path.Combine(Path.GetTempPath(), "tutorclaw-loadtest", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workingDirectory);
        var start = build.StartInfo(["--stdio", "--urls", "http://127.0.0.1:0"]);
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        ServerBuild.SetEnvironment(start.Environment, Path.Combine(workingDirectory, "data"), environment);

        using var timeout = new CancellationTokenSource(Limit);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        try
        {
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            var stdin = process.StandardInput;
            stdin.AutoFlush = true;
            await stdin.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"coldstart","version":"1.0"}}}""");
            await ReadAnswerAsync(process.StandardOutput, 1, timeout.Token);
            var initialized = clock.Elapsed.TotalMilliseconds;
            await stdin.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
            await stdin.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
            var tools = await ReadAnswerAsync(process.StandardOutput, 2, timeout.Token);
            var listed = clock.Elapsed.TotalMilliseconds;
            if (!tools.Contains("get_learner_tier", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("tools/list did not list get_learner_tier.");
            }
            var rss = ProcessMemory.RssMiB(process.Id);
            var cpu = ProcessMemory.CpuSeconds(process.Id) * 1000;
            stdin.Close(); // end of stdin stops the host (SDK's stdio hosted service)
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
            }
            return new Run(initialized, listed, cpu, rss);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    private static async Task<string> ReadAnswerAsync(StreamReader stdout, int id, CancellationToken cancellationToken)
    {
        while (await stdout.ReadLineAsync(cancellationToken) is { } line)
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty("id", out var answered) && answered.ValueKind == JsonValueKind.Number && answered.GetInt32() == id)
            {
                return line;
            }
        }
        throw new InvalidOperationException("The server closed stdout before answering.");
    }
}
