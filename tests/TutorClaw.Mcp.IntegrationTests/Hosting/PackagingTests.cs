using System.Net.Http.Json;
using System.Text.Json;
using TutorClaw.Mcp.IntegrationTests.Stdio;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Hosting;

/// <summary>
/// What an operator installs: the self-contained binary from scripts/publish.sh and the dotnet
/// tool from the packed .nupkg. Slow (a ReadyToRun publish), so each runs once.
/// </summary>
public sealed class PackagingTests
{
    /// <summary>A ReadyToRun publish on a busy two-core machine; only a hang gets near it.</summary>
    private static readonly TimeSpan PublishPatience = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task The_published_single_file_binary_starts_and_answers_health()
    {
        using var server = new BuiltServer();
        var output = Path.Combine(server.WorkingDirectory, "publish");
        var publish = await ProcessRun.RunAsync(
            "bash", [Path.Combine(RepositoryRoot.Path, "scripts", "publish.sh"), output], RepositoryRoot.Path,
            new Dictionary<string, string?>(), PublishPatience);
        Assert.True(publish.ExitCode == 0, publish.Stdout + publish.Stderr);
        var binary = Path.Combine(output, "TutorClaw.Mcp");
        Assert.True(File.Exists(binary));
        Assert.False(File.Exists(Path.Combine(output, "TutorClaw.Mcp.dll")), "a single file, not a folder of assemblies");

        var port = FreePort();
        var start = new System.Diagnostics.ProcessStartInfo(binary)
        {
            WorkingDirectory = server.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        ServerEnvironment.Apply(start.Environment, server.Environment());
        using var process = System.Diagnostics.Process.Start(start)!;
        try
        {
            var ready = new TaskCompletionSource();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("Now listening on", StringComparison.Ordinal) == true)
                {
                    ready.TrySetResult();
                }
            };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            await ready.Task.WaitAsync(BuiltServer.Patience);

            using var http = new HttpClient();
            var health = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/health");
            Assert.Equal("ok", health.GetProperty("status").GetString());
        }
        finally
        {
            BuiltServer.Stop(process);
        }
    }

    [Fact]
    public async Task The_packed_dotnet_tool_installs_into_a_tool_path_and_answers_help()
    {
        using var server = new BuiltServer();
        var packages = Path.Combine(server.WorkingDirectory, "nupkg");
        var tools = Path.Combine(server.WorkingDirectory, "tools");
        var environment = new Dictionary<string, string?>();

        // --no-build: the solution's Release build (scripts/test.sh builds it first) is what gets packed.
        var pack = await ProcessRun.RunAsync(
            BuiltServer.DotnetHost, ["pack", Path.Combine(RepositoryRoot.Path, "src", "TutorClaw.Mcp", "TutorClaw.Mcp.csproj"), "-c", "Release", "--no-build", "-o", packages, "-nologo"],
            RepositoryRoot.Path, environment, PublishPatience);
        Assert.True(pack.ExitCode == 0, pack.Stdout + pack.Stderr);
        Assert.Single(Directory.GetFiles(packages, "TutorClaw.Mcp.*.nupkg"));

        var install = await ProcessRun.RunAsync(
            BuiltServer.DotnetHost, ["tool", "install", "--tool-path", tools, "--add-source", packages, "TutorClaw.Mcp"],
            server.WorkingDirectory, environment, PublishPatience);
        Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);

        var help = await ProcessRun.RunAsync(Path.Combine(tools, "tutorclaw-mcp"), ["--help"], server.WorkingDirectory, server.Environment(), BuiltServer.Patience);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("reconcile", help.Stdout);
        Assert.Contains("TUTORCLAW_DATA_DIR", help.Stdout);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
