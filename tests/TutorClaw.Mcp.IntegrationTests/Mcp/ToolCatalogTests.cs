using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Tools;

namespace TutorClaw.Mcp.IntegrationTests.Mcp;

/// <summary>
/// The stored tool descriptions (ToolCatalog.json) are what the SDK builds from the tool methods,
/// to the byte, for every tool the server registers, and describe no tool it does not. After a
/// tool's attributes change, run
/// <c>TUTORCLAW_UPDATE_TOOL_CATALOG=1 dotnet test tests/TutorClaw.Mcp.IntegrationTests --filter ToolCatalogTests</c>
/// to rewrite the file, then build again.
/// </summary>
public sealed class ToolCatalogTests
{
    private static readonly string CatalogPath = Path.Combine(RepositoryRoot.Path, "src", "TutorClaw.Mcp", "Tools", "ToolCatalog.json");

    [Fact]
    public void The_catalog_describes_every_tool_exactly_as_the_sdk_builds_it()
    {
        using var app = new TutorClawApp();
        var tools = app.Services.GetServices<McpServerTool>().ToList();
        var built = tools.Select(tool => tool is DescribedTool described ? described.Built : tool).ToList();
        if (Environment.GetEnvironmentVariable(ToolCatalog.UpdateVariable) == "1")
        {
            File.WriteAllText(CatalogPath, ToolCatalog.Write(built.Select(tool => tool.ProtocolTool)));
            return;
        }

        Assert.Equal(5, tools.Count);
        foreach (var (tool, reflected) in tools.Zip(built))
        {
            var described = Assert.IsType<DescribedTool>(tool, exactMatch: true);
            Assert.Equal(ToolCatalog.Write(reflected.ProtocolTool), ToolCatalog.Write(described.ProtocolTool));
            Assert.Equal(reflected.Metadata.Select(m => m.GetType()), described.Metadata.Select(m => m.GetType()));
        }
        Assert.Equal(tools.Select(t => t.ProtocolTool.Name).Order(), ToolCatalog.Names.Order());
        Assert.Equal(File.ReadAllText(CatalogPath), ToolCatalog.Write(built.Select(tool => tool.ProtocolTool)));
    }
}
