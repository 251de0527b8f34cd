using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TutorClaw.Mcp.Tools;

namespace TutorClaw.Mcp.Tests.Tools;

public sealed class DescribedToolTests
{
    private static readonly Tool Description = new() { Name = "echo", Description = "Says it back." };

    [Fact]
    public void Listing_a_described_tool_builds_nothing()
    {
        var builds = 0;
        var tool = new DescribedTool(Description, ["metadata"], () => { builds++; return Echo(); });

        Assert.Same(Description, tool.ProtocolTool);
        Assert.Equal(["metadata"], tool.Metadata);
        Assert.Equal(0, builds);
    }

    [Fact]
    public async Task The_tool_is_built_once_whether_prepared_or_called_and_its_calls_run_the_built_tool()
    {
        var builds = 0;
        var tool = new DescribedTool(Description, [], () => { Interlocked.Increment(ref builds); return Echo(); });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(tool.Prepare)));
        var result = await tool.InvokeAsync(Request(tool, "hello"));

        Assert.Equal(1, builds);
        Assert.Equal("hello", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public void The_servers_tools_are_listed_from_the_catalog_and_a_tool_it_does_not_describe_is_built_by_reflection()
    {
        var services = new ServiceCollection();
        services.AddMcpServer().WithTypedTools<LearnerTools>().WithTypedTools<UncataloguedTools>();
        using var provider = services.BuildServiceProvider();

        var tools = provider.GetServices<McpServerTool>().ToDictionary(t => t.ProtocolTool.Name);

        Assert.Equal(ToolCatalog.Find("register_learner")!.Description, Assert.IsType<DescribedTool>(tools["register_learner"]).ProtocolTool.Description);
        Assert.IsNotType<DescribedTool>(tools["uncatalogued_tool"]);
        Assert.NotNull(tools["uncatalogued_tool"].ProtocolTool.OutputSchema);
    }

    private static McpServerTool Echo() => McpServerTool.Create((string text) => text, new() { Name = "echo" });

    private static RequestContext<CallToolRequestParams> Request(McpServerTool tool, string text)
    {
        var server = new Moq.Mock<McpServer>().Object;
        var parameters = new CallToolRequestParams
        {
            Name = tool.ProtocolTool.Name,
            Arguments = new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["text"] = System.Text.Json.JsonSerializer.SerializeToElement(text),
            },
        };
        return new RequestContext<CallToolRequestParams>(server, new JsonRpcRequest { Method = RequestMethods.ToolsCall }, parameters);
    }

    [McpServerToolType]
    public sealed class UncataloguedTools
    {
        [McpServerTool(Name = "uncatalogued_tool", UseStructuredContent = true, OutputSchemaType = typeof(ToolError))]
        public static CallToolResult Echo(string text) => ToolResults.Failure(text);
    }
}
