using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.IntegrationTests.FakeStripe;
using TutorClaw.Mcp.IntegrationTests.Stdio;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Learners;

/// <summary>
/// One built server over stdio for <see cref="StoredTierTests"/> (one spawn per class, as the other
/// stdio tests do), started on a data directory that already holds a tutorial-shaped learner file,
/// with Stripe configured against a fake that must see no request.
/// </summary>
public sealed class StoredTierServer : IAsyncLifetime
{
    public const string TutorialLearner = "learner_001";

    public BuiltServer Server { get; } = new();

    public FakeStripeServer Stripe { get; private set; } = null!;

    public McpClient Client { get; private set; } = null!;

    public (string Name, string Value)[] StripeSettings =>
    [
        ("STRIPE_SECRET_KEY", TutorClawApp.SecretKey),
        ("STRIPE_PRICE_ID_PAID", TutorClawApp.PriceId),
        ("STRIPE_API_BASE", Stripe.BaseUrl.ToString()),
    ];

    public async Task InitializeAsync()
    {
        Stripe = await FakeStripeServer.StartAsync(TutorClawApp.SecretKey, TutorClawApp.PriceId);
        var learners = Path.Combine(Server.DataDirectory, "learners");
        Directory.CreateDirectory(learners);
        await File.WriteAllTextAsync(
            Path.Combine(learners, TutorialLearner + ".json"),
            $$"""{ "learner_id": "{{TutorialLearner}}", "name": "Zoë", "tier": "paid", "chapter": 7 }""");
        using var timeout = new CancellationTokenSource(BuiltServer.Patience);
        Client = await McpClient.CreateAsync(
            new StdioClientTransport(new StdioClientTransportOptions
            {
                Name = "tutorclaw-stored-tier",
                Command = BuiltServer.DotnetHost,
                Arguments = BuiltServer.Arguments,
                WorkingDirectory = Server.WorkingDirectory,
                EnvironmentVariables = Server.Environment(StripeSettings),
            }),
            // A fixed revision: the client's discovery of a newer one can race a slow first answer
            // on a busy machine, and then the server refuses the fallback initialize.
            new McpClientOptions { ProtocolVersion = "2025-11-25" },
            cancellationToken: timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }
        if (Stripe is not null)
        {
            await Stripe.DisposeAsync();
        }
        Server.Dispose();
    }
}

/// <summary>
/// The stored tier is the truth, end to end through the built server over stdio: the tutorial's
/// learner file, hand edits from another process (this one), and the operator's grant and revoke
/// run as the same binary beside the running server.
/// </summary>
public sealed class StoredTierTests(StoredTierServer fixture) : IClassFixture<StoredTierServer>, IDisposable
{
    private readonly BuiltServer _server = fixture.Server;
    private readonly FakeStripeServer _stripe = fixture.Stripe;
    private readonly CancellationTokenSource _timeout = new(BuiltServer.Patience);

    public void Dispose() => _timeout.Dispose();

    private (string Name, string Value)[] StripeSettings => fixture.StripeSettings;

    private McpClient Client => fixture.Client;

    private string LearnerFile(string id) => Path.Combine(_server.DataDirectory, "learners", id + ".json");

    private Task<ProcessRun> RunCommandAsync(params string[] arguments) =>
        ProcessRun.RunAsync(
            BuiltServer.DotnetHost,
            [BuiltServer.ServerDll, .. arguments],
            _server.WorkingDirectory,
            _server.Environment(StripeSettings),
            BuiltServer.Patience);

    private async Task<CallToolResult> CallAsync(McpClient client, string tool, string learnerId, int? chapter = null)
    {
        var arguments = new Dictionary<string, object?> { ["learner_id"] = learnerId };
        if (chapter is { } c)
        {
            arguments["chapter"] = c;
        }
        return await client.CallToolAsync(tool, arguments, cancellationToken: _timeout.Token);
    }

    private async Task<JsonElement> StructuredAsync(McpClient client, string tool, string learnerId, int? chapter = null)
    {
        var result = await CallAsync(client, tool, learnerId, chapter);
        Assert.True(result.IsError != true, $"{tool} failed: {Text(result)}");
        return result.StructuredContent!.Value;
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    private void EditTier(string id, string from, string to)
    {
        var json = File.ReadAllText(LearnerFile(id));
        var field = $"\"tier\": \"{from}\"";
        var at = json.IndexOf(field, StringComparison.Ordinal);
        Assert.True(at >= 0, $"no {field} in the learner file");
        File.WriteAllText(LearnerFile(id), json[..at] + $"\"tier\": \"{to}\"" + json[(at + field.Length)..]);
    }

    [Fact]
    public async Task A_tutorial_shaped_paid_file_reads_as_paid_through_all_three_tools_and_asks_stripe_nothing()
    {
        var client = Client;

        var tier = await StructuredAsync(client, "get_learner_tier", "learner_001");
        var chapter = await StructuredAsync(client, "check_chapter_access", "learner_001", 12);
        var upgrade = await CallAsync(client, "get_upgrade_url", "learner_001");

        Assert.Equal("paid", tier.GetProperty("tier").GetString());
        Assert.Equal("hand_edit", tier.GetProperty("last_change").GetProperty("cause").GetString());
        Assert.StartsWith("paid: set by hand in the learner file", tier.GetProperty("summary").GetString());
        Assert.True(chapter.GetProperty("allowed").GetBoolean());
        Assert.Equal("paid", chapter.GetProperty("tier").GetString());
        Assert.True(upgrade.IsError);
        Assert.Contains("already on the paid tier", Text(upgrade));
        Assert.DoesNotContain(_stripe.Requests, r => !r.IsPriceLookup);
    }

    [Fact]
    public async Task Hand_edits_from_another_process_are_seen_at_the_next_read()
    {
        var client = Client;
        var registered = await client.CallToolAsync("register_learner", new Dictionary<string, object?> { ["name"] = "Ada" }, cancellationToken: _timeout.Token);
        var id = registered.StructuredContent!.Value.GetProperty("learner_id").GetString()!;

        EditTier(id, "free", "paid");
        var paidTier = await StructuredAsync(client, "get_learner_tier", id);
        var paidChapter = await StructuredAsync(client, "check_chapter_access", id, 9);
        EditTier(id, "paid", "free");
        var freeTier = await StructuredAsync(client, "get_learner_tier", id);
        var freeChapter = await StructuredAsync(client, "check_chapter_access", id, 9);

        Assert.Equal("paid", paidTier.GetProperty("tier").GetString());
        Assert.True(paidChapter.GetProperty("allowed").GetBoolean());
        Assert.Equal("free", freeTier.GetProperty("tier").GetString());
        Assert.False(freeChapter.GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task Grant_and_revoke_over_the_real_binary_change_the_tier_the_running_server_reports()
    {
        var client = Client;
        var registered = await client.CallToolAsync("register_learner", new Dictionary<string, object?> { ["name"] = "Grace" }, cancellationToken: _timeout.Token);
        var id = registered.StructuredContent!.Value.GetProperty("learner_id").GetString()!;

        var grant = await RunCommandAsync("grant", id, "--reason", "scholarship");
        var granted = await StructuredAsync(client, "get_learner_tier", id);
        var paidList = await RunCommandAsync("learners", "--tier", "paid");
        var revoke = await RunCommandAsync("revoke", id);
        var revoked = await StructuredAsync(client, "get_learner_tier", id);
        var freeList = await RunCommandAsync("learners", "--tier", "free");

        Assert.Equal(0, grant.ExitCode);
        Assert.Contains($"{id} paid: granted by the operator on", grant.Stdout);
        Assert.Equal("paid", granted.GetProperty("tier").GetString());
        Assert.Equal("grant", granted.GetProperty("last_change").GetProperty("cause").GetString());
        Assert.Equal("scholarship", granted.GetProperty("last_change").GetProperty("reason").GetString());
        Assert.Matches(@"^paid: granted by the operator on \d{1,2} [A-Z][a-z]{2} \d{4} \(scholarship\); every chapter is open\.", granted.GetProperty("summary").GetString());
        Assert.Equal(0, paidList.ExitCode);
        Assert.Contains(paidList.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith($"{id} paid 20", StringComparison.Ordinal));
        Assert.DoesNotContain(" free ", paidList.Stdout);
        Assert.Equal(0, revoke.ExitCode);
        Assert.Equal("free", revoked.GetProperty("tier").GetString());
        Assert.StartsWith("free: revoked by the operator on", revoked.GetProperty("last_change").GetProperty("description").GetString());
        Assert.Contains(freeList.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith($"{id} free 20", StringComparison.Ordinal));
        Assert.DoesNotContain(" paid ", freeList.Stdout);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(LearnerFile(id)));
        var facts = document.RootElement.GetProperty("operator_facts");
        Assert.Equal(["grant", "revoke"], facts.EnumerateArray().Select(f => f.GetProperty("action").GetString()));
        Assert.Equal("scholarship", facts[0].GetProperty("reason").GetString());
        Assert.DoesNotContain(_stripe.Requests, r => !r.IsPriceLookup);
    }

    [Theory]
    [InlineData("grant")]
    [InlineData("revoke", "--reason", "x")]
    [InlineData("grant", "../etc/passwd")]
    [InlineData("grant", "lrn_nobody_here")]
    [InlineData("grant", "lrn_nobody_here", "--reason")]
    [InlineData("learners", "--tier", "gold")]
    public async Task Bad_input_gets_one_clear_line_and_exit_code_2(params string[] arguments)
    {
        var run = await RunCommandAsync(arguments);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("TutorClaw: ", line);
        Assert.DoesNotContain("passwd", line);
        Assert.Empty(run.Stdout);
        Assert.False(Directory.Exists(Path.Combine(_server.DataDirectory, "etc")));
    }
}
