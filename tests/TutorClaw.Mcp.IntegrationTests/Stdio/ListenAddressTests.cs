using System.Net;
using System.Net.Sockets;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Stdio;

/// <summary>Issue 12, items 1 and 2: what the built server does with a listen address it cannot use, and with stdin closed at once.</summary>
public sealed class ListenAddressTests : IDisposable
{
    private readonly BuiltServer _server = new();
    private readonly TcpListener _occupant = new(IPAddress.Loopback, 0);

    public ListenAddressTests() => _occupant.Start();

    private string TakenUrl => $"http://127.0.0.1:{((IPEndPoint)_occupant.LocalEndpoint).Port}";

    public void Dispose()
    {
        _occupant.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task With_stdio_a_taken_listen_address_keeps_serving_tools_and_says_once_why_http_is_shut()
    {
        using var timeout = new CancellationTokenSource(BuiltServer.Patience);
        var stderr = new List<string>();
        var doorShut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "tutorclaw-taken-port",
            Command = BuiltServer.DotnetHost,
            Arguments = [BuiltServer.ServerDll, "--stdio", "--urls", TakenUrl],
            WorkingDirectory = _server.WorkingDirectory,
            EnvironmentVariables = _server.Environment(),
            StandardErrorLines = line =>
            {
                lock (stderr)
                {
                    stderr.Add(line);
                }
                if (line.Contains("HTTP door not open", StringComparison.Ordinal))
                {
                    doorShut.TrySetResult();
                }
            },
        });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);

        // The HTTP door is opened once stdio has answered its first tools/list (StdioFirst).
        await client.ListToolsAsync(cancellationToken: timeout.Token);
        await doorShut.Task.WaitAsync(timeout.Token);
        var result = await client.CallToolAsync("register_learner", new Dictionary<string, object?> { ["name"] = "Ada" }, cancellationToken: timeout.Token);

        Assert.True(result.IsError != true, string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)));
        Assert.StartsWith("lrn_", result.StructuredContent!.Value.GetProperty("learner_id").GetString());
        List<string> lines;
        lock (stderr)
        {
            lines = [.. stderr];
        }
        var door = Assert.Single(lines, line => line.Contains("HTTP door not open", StringComparison.Ordinal));
        Assert.Contains(TakenUrl, door);
        Assert.Contains("takes the webhooks", door);
        Assert.DoesNotContain(lines, line => line.Contains("fail:", StringComparison.Ordinal) || line.StartsWith("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_stdio_a_taken_listen_address_stops_the_process_with_one_line_and_exit_code_2()
    {
        var run = await RunAsync([BuiltServer.ServerDll, "--urls", TakenUrl]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(Lines(run.Stderr), l => l.Contains("cannot start", StringComparison.Ordinal));
        Assert.Contains(TakenUrl + " is already in use", line);
        Assert.DoesNotContain(Lines(run.Stderr), l => l.Contains("fail:", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("TUTORCLAW_URLS")]
    [InlineData("ASPNETCORE_URLS")]
    public async Task A_listen_address_that_is_not_a_url_stops_the_process_with_one_line_naming_it(string variable)
    {
        var run = await RunAsync([BuiltServer.ServerDll], (variable, "notaurl"));

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(Lines(run.Stderr));
        Assert.Contains(variable, line);
        Assert.DoesNotContain("notaurl", line);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task A_urls_argument_that_is_not_a_url_stops_the_process_with_one_line_naming_it()
    {
        var run = await RunAsync([BuiltServer.ServerDll, "--stdio", "--urls", "notaurl"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--urls", Assert.Single(Lines(run.Stderr)));
    }

    [Fact]
    public async Task Stdin_closed_at_once_shuts_down_cleanly_with_exit_code_0_every_time()
    {
        // Before the fix, Kestrel's bind threw TaskCanceledException in about two runs of three.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var timeout = new CancellationTokenSource(BuiltServer.Patience);
            var process = _server.Start();
            try
            {
                process.StandardInput.Close();
                var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);

                Assert.True(process.ExitCode == 0, $"run {attempt}: exit code {process.ExitCode}\n{await stderr}");
                Assert.DoesNotContain(Lines(await stderr), l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
                Assert.Equal("", await stdout);
            }
            finally
            {
                BuiltServer.Stop(process);
            }
        }
    }

    private Task<ProcessRun> RunAsync(IEnumerable<string> arguments, params (string Name, string Value)[] settings) =>
        ProcessRun.RunAsync(BuiltServer.DotnetHost, arguments, _server.WorkingDirectory, _server.Environment(settings), BuiltServer.Patience);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
