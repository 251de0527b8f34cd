using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace TutorClaw.Mcp.IntegrationTests.Stdio;

/// <summary>One built server process in --stdio mode, driven by the C# SDK's stdio client, shared by a class's tests.</summary>
public sealed class StdioClientFixture : IAsyncLifetime
{
    private readonly BuiltServer _server = new();

    public McpClient Client { get; private set; } = null!;

    public string WorkingDirectory => _server.WorkingDirectory;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(BuiltServer.Patience);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "tutorclaw-built",
            Command = BuiltServer.DotnetHost,
            Arguments = BuiltServer.Arguments,
            WorkingDirectory = _server.WorkingDirectory,
            EnvironmentVariables = _server.Environment(),
        });
        Client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }
        _server.Dispose();
    }
}

/// <summary>SPEC §1's stdio door, end to end through the built executable.</summary>
public sealed class StdioServerTests(StdioClientFixture server) : IClassFixture<StdioClientFixture>, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(BuiltServer.Patience);

    private McpClient Client => server.Client;

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task Tools_list_shows_the_learner_tools_with_their_input_schemas()
    {
        var tools = (await Client.ListToolsAsync(cancellationToken: Timeout())).ToDictionary(t => t.Name, t => t.ProtocolTool.InputSchema);

        Assert.Equal(["name"], Required(tools["register_learner"]));
        Assert.Equal("string", Property(tools["register_learner"], "name").GetProperty("type").GetString());
        Assert.True(tools["register_learner"].GetProperty("properties").TryGetProperty("phone", out _));
        Assert.Equal(["learner_id"], Required(tools["get_learner_tier"]));
        Assert.Equal("string", Property(tools["get_learner_tier"], "learner_id").GetProperty("type").GetString());
        Assert.Equal(["chapter", "learner_id"], Required(tools["check_chapter_access"]));
        Assert.Equal("integer", Property(tools["check_chapter_access"], "chapter").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_registered_learner_is_free_and_may_open_chapter_3_but_not_chapter_6()
    {
        var registered = await CallAsync("register_learner", new() { ["name"] = "Ada", ["phone"] = "+1 555 010 0001" });
        var learnerId = Structured(registered).GetProperty("learner_id").GetString()!;

        var tier = Structured(await CallAsync("get_learner_tier", new() { ["learner_id"] = learnerId }));
        var chapter3 = Structured(await CallAsync("check_chapter_access", new() { ["learner_id"] = learnerId, ["chapter"] = 3 }));
        var chapter6 = Structured(await CallAsync("check_chapter_access", new() { ["learner_id"] = learnerId, ["chapter"] = 6 }));

        Assert.Equal("free", tier.GetProperty("tier").GetString());
        Assert.True(chapter3.GetProperty("allowed").GetBoolean());
        Assert.False(chapter6.GetProperty("allowed").GetBoolean());
        Assert.Contains("get_upgrade_url", chapter6.GetProperty("next_step").GetString());
        Assert.True(File.Exists(Path.Combine(server.WorkingDirectory, "data", "learners", learnerId + ".json")));
    }

    [Fact]
    public async Task The_same_phone_registered_twice_is_the_same_learner_across_calls()
    {
        var first = Structured(await CallAsync("register_learner", new() { ["name"] = "Grace", ["phone"] = "+15550100002" }));
        var second = Structured(await CallAsync("register_learner", new() { ["name"] = "Grace H", ["phone"] = "+1 555 010 0002" }));

        Assert.Equal(first.GetProperty("learner_id").GetString(), second.GetProperty("learner_id").GetString());
        Assert.False(second.GetProperty("created").GetBoolean());
    }

    [Fact]
    public async Task One_phone_as_typed_by_a_person_by_WhatsApp_and_by_Twilio_is_one_learner_and_no_file_holds_the_number()
    {
        string[] formats = ["+447700900999", "447700900999", "0044 7700 900999", "whatsapp:+447700900999"];

        var ids = new List<string>();
        foreach (var phone in formats)
        {
            ids.Add(Structured(await CallAsync("register_learner", new() { ["name"] = "Zoë", ["phone"] = phone })).GetProperty("learner_id").GetString()!);
        }

        Assert.Single(ids.Distinct());
        // The README's "Data on disk" says no file holds a phone number, only digests.
        foreach (var file in Directory.GetFiles(Path.Combine(server.WorkingDirectory, "data"), "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("7700900999", Path.GetFileName(file));
            Assert.DoesNotContain("7700900999", (await File.ReadAllTextAsync(file, Timeout())).Replace(" ", "", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_impossible_phone_number_is_a_tool_error()
    {
        var result = await Client.CallToolAsync("register_learner", new Dictionary<string, object?> { ["name"] = "Ada", ["phone"] = "+44 12" }, cancellationToken: Timeout());

        Assert.True(result.IsError);
        Assert.Contains("not a possible phone number", Text(result));
    }

    [Fact]
    public async Task An_unknown_learner_is_a_tool_error_not_a_protocol_error()
    {
        var result = await Client.CallToolAsync("get_learner_tier", new Dictionary<string, object?> { ["learner_id"] = "lrn_nobody_here" }, cancellationToken: Timeout());

        Assert.True(result.IsError);
        Assert.Contains("register_learner", Text(result));
    }

    [Theory]
    [InlineData("get_learner_tier")]
    [InlineData("check_chapter_access")]
    public async Task A_hostile_learner_id_is_a_tool_error(string tool)
    {
        var result = await Client.CallToolAsync(tool, new Dictionary<string, object?> { ["learner_id"] = "../etc/passwd", ["chapter"] = 1 }, cancellationToken: Timeout());

        Assert.True(result.IsError);
        Assert.Contains("not a valid learner_id", Text(result));
        Assert.DoesNotContain("passwd", Text(result));
    }

    private async Task<CallToolResult> CallAsync(string tool, Dictionary<string, object?> arguments)
    {
        var result = await Client.CallToolAsync(tool, arguments, cancellationToken: Timeout());
        Assert.True(result.IsError != true, $"{tool} failed: {Text(result)}");
        return result;
    }

    private static JsonElement Structured(CallToolResult result)
    {
        Assert.NotNull(result.StructuredContent);
        return result.StructuredContent.Value;
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    private static JsonElement Property(JsonElement schema, string name) => schema.GetProperty("properties").GetProperty(name);

    private static List<string> Required(JsonElement schema) =>
        [.. schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal)];

    private CancellationToken Timeout() => _timeout.Token;
}

/// <summary>The built server started by hand: what exactly appears on stdout and stderr.</summary>
public sealed class StdioProcessTests : IDisposable
{
    private readonly BuiltServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Stdout_carries_only_json_rpc_and_the_logs_go_to_stderr()
    {
        using var timeout = new CancellationTokenSource(BuiltServer.Patience);
        var process = _server.Start();
        try
        {
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            var stdoutLines = new List<string>();

            await SendAsync(process, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw-test","version":"1.0"}}}""");
            var initialize = await ReadResponseAsync(process, 1, stdoutLines, timeout.Token);
            await SendAsync(process, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
            await SendAsync(process, """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
            var toolsList = await ReadResponseAsync(process, 2, stdoutLines, timeout.Token);
            process.StandardInput.Close();
            var rest = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            stdoutLines.AddRange(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal("tutorclaw", initialize.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
            Assert.Contains(toolsList.GetProperty("result").GetProperty("tools").EnumerateArray(), t => t.GetProperty("name").GetString() == "register_learner");
            Assert.All(stdoutLines, AssertJsonRpcMessage);
            var logLines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(logLines, line => line.Contains("Stripe: not configured", StringComparison.Ordinal));
            Assert.All(logLines, line => Assert.False(line.TrimStart().StartsWith('{'), $"JSON on stderr: {line}"));
        }
        finally
        {
            BuiltServer.Stop(process);
        }
    }

    [Fact]
    public async Task A_malformed_secret_key_stops_the_process_with_one_line_naming_it_without_its_value()
    {
        using var timeout = new CancellationTokenSource(BuiltServer.Patience);
        var process = _server.Start(("STRIPE_SECRET_KEY", "pk_test_fake"));
        try
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);

            Assert.NotEqual(0, process.ExitCode);
            var line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.Contains("STRIPE_SECRET_KEY", line);
            Assert.DoesNotContain("pk_test_fake", line);
            Assert.Equal("", await stdout);
        }
        finally
        {
            BuiltServer.Stop(process);
        }
    }

    private static async Task SendAsync(Process process, string message)
    {
        await process.StandardInput.WriteAsync(message + "\n");
        await process.StandardInput.FlushAsync();
    }

    /// <summary>Reads stdout lines until the response with <paramref name="id"/>; every line read is kept for the stdout check.</summary>
    private static async Task<JsonElement> ReadResponseAsync(Process process, int id, List<string> lines, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add(line);
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("id", out var responseId) && responseId.ValueKind == JsonValueKind.Number && responseId.GetInt32() == id)
            {
                return json.RootElement.Clone();
            }
        }
        throw new Xunit.Sdk.XunitException($"stdout ended before the response to request {id}; lines so far: {string.Join(" | ", lines)}");
    }

    private static void AssertJsonRpcMessage(string line)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            throw new Xunit.Sdk.XunitException($"Not JSON on stdout: {line}");
        }
        using (json)
        {
            var root = json.RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            Assert.Equal("2.0", root.GetProperty("jsonrpc").GetString());
            Assert.True(
                root.TryGetProperty("method", out _) || root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _),
                $"Not a JSON-RPC request, notification or response: {line}");
        }
    }
}
