using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace TutorClaw.LoadTest;

public static class McpClients
{
    private static readonly McpClientOptions Options = new()
    {
        ClientInfo = new Implementation { Name = "tutorclaw-loadtest", Version = "1.0" },
    };

    /// <summary>The C# SDK's Streamable HTTP client on /mcp.</summary>
    public static async Task<McpClient> ConnectHttpAsync(Uri baseAddress)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(baseAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
        });
        return await McpClient.CreateAsync(transport, Options);
    }

    /// <summary>The C# SDK's stdio client: it spawns the server with --stdio and speaks JSON-RPC on its pipes.</summary>
    public static async Task<McpClient> ConnectStdioAsync(ServerBuild build, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var variables = new Dictionary<string, string?>();
        foreach (var (key, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => ((string)e.Key, (string?)e.Value)))
        {
            variables[key] = value;
        }
        ServerBuild.SetEnvironment(variables, Path.Combine(workingDirectory, "data"), environment);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "tutorclaw",
            Command = build.Command,
            Arguments = [.. build.Arguments([ "--stdio", "--urls", "http://127.0.0.1:0" ])],
            WorkingDirectory = workingDirectory,
            EnvironmentVariables = variables,
            InheritEnvironmentVariables = false,
            StandardErrorLines = _ => { },
        });
        return await McpClient.CreateAsync(transport, Options);
    }
}
