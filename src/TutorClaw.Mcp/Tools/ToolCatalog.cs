using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace TutorClaw.Mcp.Tools;

/// <summary>
/// The tools' descriptions exactly as <c>tools/list</c> gives them (ToolCatalog.json, embedded in the
/// assembly), so the server need not build them by reflection before its first answer. The file is
/// generated, never edited by hand: a test compares every entry with what the SDK builds from the
/// tool methods, and rewrites the file when run with <see cref="UpdateVariable"/>=1.
/// </summary>
public static class ToolCatalog
{
    public const string UpdateVariable = "TUTORCLAW_UPDATE_TOOL_CATALOG";

    private const string ResourceName = "TutorClaw.Mcp.Tools.ToolCatalog.json";

    private static readonly Lazy<IReadOnlyDictionary<string, JsonElement>> Entries = new(Load);

    /// <summary>
    /// Reads the catalog on a thread of its own while the caller goes on composing the server: the
    /// first read sets up the SDK's JSON metadata, which the stdio door needs for its first answer
    /// anyway. Whoever asks for a tool before it is done waits for it.
    /// </summary>
    public static void LoadAside() =>
        _ = Task.Factory.StartNew(() => Entries.Value, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>The stored description of the tool called <paramref name="name"/>; null when the
    /// catalog has none (a tool added since the file was written: it is then built by reflection).</summary>
    public static Tool? Find(string name) =>
        Entries.Value.TryGetValue(name, out var entry) ? Read(entry) : null;

    /// <summary>Every tool name the catalog describes.</summary>
    public static IReadOnlyCollection<string> Names => [.. Entries.Value.Keys];

    /// <summary>The catalog's text for <paramref name="tools"/>: the SDK's own serialization, indented, in name order.</summary>
    public static string Write(IEnumerable<Tool> tools)
    {
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions) { WriteIndented = true };
        return JsonSerializer.Serialize(tools.OrderBy(t => t.Name, StringComparer.Ordinal).ToList(), options) + "\n";
    }

    /// <summary>One tool's description as the SDK serializes it, for comparing two descriptions.</summary>
    public static string Write(Tool tool) => JsonSerializer.Serialize(tool, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Tool)));

    // Each server gets its own Tool objects (tests run several in one process); every entry is read once
    // here all the same, so that a broken file fails at the first start-up.
    private static IReadOnlyDictionary<string, JsonElement> Load()
    {
        using var stream = typeof(ToolCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly carries no {ResourceName}.");
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.EnumerateArray()
            .ToDictionary(entry => Read(entry).Name, entry => entry.Clone(), StringComparer.Ordinal);
    }

    private static Tool Read(JsonElement entry) =>
        (Tool?)entry.Deserialize(McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Tool)))
        ?? throw new InvalidDataException("ToolCatalog.json holds an entry that is not a tool.");
}
