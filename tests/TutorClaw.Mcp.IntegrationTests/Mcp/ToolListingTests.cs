using System.Net;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.IntegrationTests.Support;
using static TutorClaw.Mcp.IntegrationTests.Subscriptions.SubscriptionPayloads;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>What an agent sees before calling anything: every tool's title, honest annotations and
/// output schema, and the server's instructions explaining the paywall flow; and that every result
/// is shaped the way the schema says.</summary>
public sealed class ToolListingTests
{
    [Theory]
    [InlineData("register_learner", false, false, false, false)]
    [InlineData("get_learner_tier", true, false, true, false)]
    [InlineData("check_chapter_access", true, false, true, false)]
    [InlineData("get_upgrade_url", false, false, true, true)]
    [InlineData("get_billing_portal_url", false, false, false, true)]
    public async Task Tools_list_shows_a_title_and_honest_annotations(string name, bool readOnly, bool destructive, bool idempotent, bool openWorld)
    {
        using var app = new TutorClawApp();
        await using var mcp = await InProcessMcp.ConnectAsync(app.Services);

        var tool = (await mcp.Client.ListToolsAsync()).Single(t => t.Name == name).ProtocolTool;

        Assert.False(string.IsNullOrWhiteSpace(tool.Title));
        Assert.NotNull(tool.Annotations);
        Assert.Equal(readOnly, tool.Annotations.ReadOnlyHint);
        Assert.Equal(destructive, tool.Annotations.DestructiveHint);
        Assert.Equal(idempotent, tool.Annotations.IdempotentHint);
        Assert.Equal(openWorld, tool.Annotations.OpenWorldHint);
    }

    [Fact]
    public async Task The_instructions_explain_the_paywall_flow_in_a_few_sentences()
    {
        using var app = new TutorClawApp();
        await using var mcp = await InProcessMcp.ConnectAsync(app.Services);

        var instructions = mcp.Client.ServerInstructions!;

        Assert.InRange(instructions.Split(". ").Length, 3, 5);
        Assert.Contains("register_learner", instructions);
        Assert.Contains("check_chapter_access", instructions);
        Assert.Contains("get_upgrade_url", instructions);
    }

    [Theory]
    [InlineData("register_learner")]
    [InlineData("get_learner_tier")]
    [InlineData("check_chapter_access")]
    [InlineData("get_upgrade_url")]
    [InlineData("get_billing_portal_url")]
    public async Task Every_description_tells_the_agent_when_to_call_the_tool_and_what_to_tell_the_learner(string name)
    {
        using var app = new TutorClawApp();
        await using var mcp = await InProcessMcp.ConnectAsync(app.Services);

        var description = (await mcp.Client.ListToolsAsync()).Single(t => t.Name == name).ProtocolTool.Description!;

        Assert.StartsWith("Call ", description, StringComparison.Ordinal);
        Assert.InRange(description.Split(". ").Length, 2, 4);
        Assert.Matches(@"\b(?:[Tt]ell|[Ss]end)\b[^.]*\b(?:learner|them)\b", description);
    }

    [Theory]
    [InlineData("register_learner", "learner_id", "free_chapters")]
    [InlineData("get_learner_tier", "tier", "summary")]
    [InlineData("check_chapter_access", "allowed", "next_step")]
    [InlineData("get_upgrade_url", "url", "expires_at")]
    [InlineData("get_billing_portal_url", "url", "message")]
    public async Task Tools_list_shows_an_output_schema_for_the_result_and_for_an_error(string name, string property, string another)
    {
        using var app = new TutorClawApp();
        await using var mcp = await InProcessMcp.ConnectAsync(app.Services);

        var schema = (await mcp.Client.ListToolsAsync()).Single(t => t.Name == name).ProtocolTool.OutputSchema;

        Assert.NotNull(schema);
        Assert.Equal("object", schema.Value.GetProperty("type").GetString());
        Assert.True(schema.Value.GetProperty("properties").TryGetProperty(property, out _));
        Assert.True(schema.Value.GetProperty("properties").TryGetProperty(another, out _));
        var error = schema.Value.GetProperty("anyOf")[1];
        Assert.Equal(["message", "operator_hint"], error.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Every_successful_result_is_its_json_text_as_structured_content_with_exactly_the_schemas_properties()
    {
        await using var s = await StripeBackedApp.StartAsync();
        var subscriber = await AddSubscriberAsync(s);
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);
        var schemas = (await mcp.Client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool.OutputSchema!.Value);
        var registered = await mcp.CallAsync("register_learner", new { name = "Ada", phone = "+15550003333" });
        var id = registered.StructuredContent!.Value.GetProperty("learner_id").GetString();

        (string Tool, CallToolResult Result)[] results =
        [
            ("register_learner", registered),
            ("get_learner_tier", await mcp.CallAsync("get_learner_tier", new { learner_id = id })),
            ("get_learner_tier", await mcp.CallAsync("get_learner_tier", new { learner_id = subscriber })),
            ("check_chapter_access", await mcp.CallAsync("check_chapter_access", new { learner_id = id, chapter = 1 })),
            ("check_chapter_access", await mcp.CallAsync("check_chapter_access", new { learner_id = id, chapter = 99 })),
            ("get_upgrade_url", await mcp.CallAsync("get_upgrade_url", new { learner_id = id })),
            ("get_billing_portal_url", await mcp.CallAsync("get_billing_portal_url", new { learner_id = subscriber })),
        ];

        Assert.Equal(schemas.Keys.Order(), results.Select(r => r.Tool).Distinct().Order());
        foreach (var (tool, result) in results)
        {
            Assert.True(result.IsError is null or false, $"{tool}: {Text(result)}");
            var structured = result.StructuredContent!.Value;
            using var text = JsonDocument.Parse(Text(result));
            Assert.True(JsonElement.DeepEquals(text.RootElement, structured), $"{tool}: the text and structuredContent differ");
            Assert.Equal(
                schemas[tool].GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(),
                structured.EnumerateObject().Select(p => p.Name).Order());
        }
    }

    [Fact]
    public async Task Every_error_result_is_one_sentence_repeated_as_the_structured_message()
    {
        await using var s = await StripeBackedApp.StartAsync();
        await s.AddLearnerAsync();
        await using var mcp = await InProcessMcp.ConnectAsync(s.App.Services);

        CallToolResult[] errors =
        [
            await mcp.CallAsync("register_learner", new { name = "" }),
            await mcp.CallAsync("get_learner_tier", new { learner_id = "learner_nobody" }),
            await mcp.CallAsync("check_chapter_access", new { learner_id = "learner_demo", chapter = 0 }),
            await mcp.CallAsync("check_chapter_access", new { learner_id = 42, chapter = 1 }),
            await mcp.CallAsync("get_upgrade_url", new { learner_id = "not valid" }),
            await mcp.CallAsync("get_billing_portal_url", new { learner_id = "learner_demo" }),
        ];

        Assert.All(errors, error =>
        {
            Assert.True(error.IsError);
            var sentence = Text(error);
            Assert.DoesNotContain('\n', sentence);
            Assert.EndsWith(".", sentence, StringComparison.Ordinal);
            Assert.Equal(sentence, error.StructuredContent!.Value.GetProperty("message").GetString());
            Assert.Equal(JsonValueKind.Null, error.StructuredContent.Value.GetProperty("operator_hint").ValueKind);
        });
    }

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    /// <summary>A learner on the monthly plan, so Stripe knows them as a customer.</summary>
    private static async Task<string> AddSubscriberAsync(StripeBackedApp s)
    {
        var id = await s.AddLearnerAsync("learner_subscriber");
        var now = s.App.Clock.GetUtcNow();
        using var delivered = await new WebhookSender(s.App, s.App.CreateClient()).SendSignedAsync(
            Subscription("evt_fake_listing_01", "customer.subscription.created", now, "active", now.AddDays(30), learnerId: id.Value));
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        return id.Value;
    }
}
