using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Tools;

namespace TutorClaw.Mcp.IntegrationTests.Reliability;

/// <summary>
/// Hostile values in tool arguments, through a real MCP client: path-like, oversized and odd ids on
/// every tool that takes one, and huge names. Each is a clear isError; nothing is written anywhere.
/// </summary>
public sealed class ToolHostileInputTests : IAsyncLifetime
{
    private static readonly string InvalidIdSentence = TextOf(ToolResults.InvalidLearnerId());
    private readonly TutorClawApp _app = new();
    private InProcessMcp _mcp = null!;

    public static TheoryData<string, string> HostileIdsOnEveryTool()
    {
        string[] tools = ["get_learner_tier", "check_chapter_access", "get_upgrade_url"];
        string[] ids =
        [
            "../x", "..", ".", "a/b", "/etc/passwd", "..\\x", "a\\b", "x.json", "learner_demo.json", "learner_demo/../learner_demo",
            new('a', 65), new('a', 100_000), "a\0b", "\0", "", " ", " learner_demo", "learner_demo\n", "lrn_é", "lrn_李", "ｌｒｎ",
            "lrn_\u202e", "lrn_😀", "%2e%2e%2fx", "lrn*", "lrn?", "~/x",
        ];
        var data = new TheoryData<string, string>();
        foreach (var tool in tools)
        {
            foreach (var id in ids)
            {
                data.Add(tool, id);
            }
        }
        return data;
    }

    public async Task InitializeAsync()
    {
        Assert.True(await _app.Learners.TryCreateAsync(Learner.CreateFree(LearnerId.Parse("learner_demo"), "Zoë", _app.Clock.GetUtcNow()), default));
        _mcp = await InProcessMcp.ConnectAsync(_app.Services);
    }

    public async Task DisposeAsync()
    {
        await _mcp.DisposeAsync();
        _app.Dispose();
    }

    [Theory]
    [MemberData(nameof(HostileIdsOnEveryTool))]
    public async Task A_hostile_learner_id_is_refused_before_it_reaches_the_disk(string tool, string learnerId)
    {
        var before = SnapshotAroundDataDirectory();

        var result = await _mcp.CallAsync(tool, new { learner_id = learnerId, chapter = 9 });

        Assert.True(result.IsError);
        Assert.Equal(InvalidIdSentence, TextOf(result));
        Assert.Equal(before, SnapshotAroundDataDirectory());
    }

    [Theory]
    [InlineData("get_learner_tier")]
    [InlineData("check_chapter_access")]
    [InlineData("get_upgrade_url")]
    public async Task An_id_of_exactly_64_characters_is_valid_and_simply_unknown(string tool)
    {
        var result = await _mcp.CallAsync(tool, new { learner_id = new string('a', LearnerId.MaxLength), chapter = 9 });

        Assert.True(result.IsError);
        Assert.Contains("No learner with id", TextOf(result));
    }

    [Fact]
    public async Task A_one_megabyte_name_is_a_clear_error_and_nothing_is_stored()
    {
        var before = SnapshotAroundDataDirectory();

        var result = await _mcp.CallAsync("register_learner", new { name = new string('n', 1024 * 1024) });
        var after = await _mcp.CallAsync("get_learner_tier", new { learner_id = "learner_demo" });

        Assert.True(result.IsError);
        Assert.StartsWith("A name is required: 1 to 200 characters", TextOf(result));
        Assert.Equal(before, SnapshotAroundDataDirectory());
        Assert.NotEqual(true, after.IsError);
    }

    [Fact]
    public async Task A_one_megabyte_name_over_http_mcp_is_a_clear_error_and_the_session_goes_on()
    {
        using var http = _app.CreateClient();
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(http.BaseAddress!, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            http, ownsHttpClient: false));

        var result = await client.CallToolAsync("register_learner", new Dictionary<string, object?> { ["name"] = new string('n', 1024 * 1024) });
        var next = await client.CallToolAsync("register_learner", new Dictionary<string, object?> { ["name"] = "Ada" });

        Assert.True(result.IsError);
        Assert.StartsWith("A name is required", TextOf(result));
        Assert.NotEqual(true, next.IsError);
    }

    [Theory]
    [InlineData("Ada", "../x")]
    [InlineData("Ada", "+1555/../../x")]
    [InlineData("Ada", "+1555\u00001234567")]
    [InlineData("Ada", "１５５５１２３４５６７")]
    [InlineData("Ada", "123456789012345678901")]
    [InlineData("Ada\u0000", null)]
    [InlineData("\u0007", null)]
    [InlineData("   ", null)]
    public async Task A_hostile_name_or_phone_is_a_clear_error_and_nothing_is_stored(string name, string? phone)
    {
        var before = SnapshotAroundDataDirectory();

        var result = await _mcp.CallAsync("register_learner", new { name, phone });

        Assert.True(result.IsError);
        Assert.Matches("^(A name is required|That is not a possible phone number)", TextOf(result));
        Assert.Equal(before, SnapshotAroundDataDirectory());
    }

    [Fact]
    public async Task A_path_like_name_is_just_a_name_stored_inside_the_learners_directory()
    {
        var outside = Directory.GetParent(_app.DataDirectory)!.FullName;
        var before = Directory.EnumerateFiles(outside).ToHashSet();

        var result = await _mcp.CallAsync("register_learner", new { name = "../../../x.json" });

        Assert.NotEqual(true, result.IsError);
        var id = result.StructuredContent!.Value.GetProperty("learner_id").GetString()!;
        Assert.True(File.Exists(Path.Combine(_app.DataDirectory, "learners", id + ".json")));
        Assert.Equal("../../../x.json", (await _app.Learners.FindAsync(LearnerId.Parse(id), default))!.Name);
        Assert.Equal(before, Directory.EnumerateFiles(outside).ToHashSet());
    }

    /// <summary>The data directory's files and bytes, plus the files of the folder above it, where "../x" would land
    /// (other tests only add directories there).</summary>
    private IReadOnlyList<string> SnapshotAroundDataDirectory() =>
    [
        .. DataDirectorySnapshot.Take(_app.DataDirectory).Select(p => $"{p.Key} {p.Value}"),
        .. Directory.EnumerateFiles(Directory.GetParent(_app.DataDirectory)!.FullName),
    ];

    private static string TextOf(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
}
