using System.Diagnostics;
using System.Text;

using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Stdio;

/// <summary>
/// The built server (TutorClaw.Mcp.dll, copied next to the tests by the project reference) run as
/// its own process in --stdio mode, in a temporary working directory with its own data
/// directory and none of the developer's Stripe or TutorClaw settings.
/// </summary>
public sealed class BuiltServer : IDisposable
{
    /// <summary>Generous: a cold `dotnet` start on a busy two-core machine. Only a hang gets near it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public BuiltServer()
    {
        WorkingDirectory = Path.Combine(Path.GetTempPath(), "tutorclaw-stdio-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkingDirectory);
    }

    public string WorkingDirectory { get; }

    public string DataDirectory => Path.Combine(WorkingDirectory, "data");

    public static string ServerDll
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "TutorClaw.Mcp.dll");
            Assert.True(File.Exists(path), $"The built server is missing: {path}");
            return path;
        }
    }

    /// <summary>The dotnet host running these tests (set by the dotnet CLI), else the one on PATH.</summary>
    public static string DotnetHost => System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static IList<string> Arguments => [ServerDll, "--stdio", "--urls", "http://127.0.0.1:0"];

    /// <summary>Changes to the inherited environment: our settings removed (null), the data directory set, plus <paramref name="extra"/>.</summary>
    public Dictionary<string, string?> Environment(params (string Name, string Value)[] extra) =>
        ServerEnvironment.Changes(DataDirectory, extra.Select(e => KeyValuePair.Create(e.Name, e.Value)));

    /// <summary>Starts the server by hand with every stream redirected.</summary>
    public Process Start(params (string Name, string Value)[] extra)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in Arguments)
        {
            info.ArgumentList.Add(argument);
        }
        ServerEnvironment.Apply(info.Environment, Environment(extra));
        return Process.Start(info) ?? throw new InvalidOperationException("The server process did not start.");
    }

    /// <summary>Ends a process this test started if it is still running.</summary>
    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not a test failure.
        }
    }
}
