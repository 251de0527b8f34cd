using System.Net;
using System.Text.Json;

namespace TutorClaw.Mcp.IntegrationTests.Support;

public sealed class SmokeTests
{
    [Fact]
    public async Task Health_reports_test_mode_and_the_test_data_directory()
    {
        using var app = new TutorClawApp();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("test", json.RootElement.GetProperty("stripe_mode").GetString());
        Assert.True(json.RootElement.GetProperty("webhooks_verifiable").GetBoolean());
        Assert.Equal(app.DataDirectory, json.RootElement.GetProperty("repository").GetProperty("location").GetString());
    }

    [Fact]
    public async Task Tools_answer_over_an_in_process_mcp_client()
    {
        using var app = new TutorClawApp();
        await using var mcp = await InProcessMcp.ConnectAsync(app.Services);

        var result = await mcp.CallAsync("register_learner", new { name = "Zoë" });

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("free", result.StructuredContent!.Value.GetProperty("tier").GetString());
    }
}
