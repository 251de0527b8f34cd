using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>What an agent sees before calling anything: every tool's title and honest annotations, and the
/// server's instructions explaining the paywall flow.</summary>
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
}
