using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>
/// The built server as its own process on a free loopback port (<c>--urls http://127.0.0.1:0</c>),
/// for clients that need a real socket. It runs in a temporary working directory with a temporary
/// data directory, and none of the caller's STRIPE_* or TUTORCLAW_* variables.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _stderr;
    private readonly string _workingDirectory;

    private ServerProcess(Process process, string workingDirectory, Uri baseAddress, StringBuilder stderr)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        _stderr = stderr;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public string DataDirectory => Path.Combine(_workingDirectory, "data");

    /// <summary>Everything the server has logged so far (stderr; stdout stays empty outside --stdio).</summary>
    public string Log
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var workingDirectory = Path.Combine(Path.GetTempPath(), "tutorclaw-tests", "server-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TutorClaw.Mcp.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        ServerEnvironment.Apply(start.Environment, ServerEnvironment.Changes(Path.Combine(workingDirectory, "data"), settings));

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("The server exited before listening:\n" + stderr));
                return;
            }
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var started = false;
        try
        {
            var baseAddress = await listening.Task.WaitAsync(StartTimeout);
            started = true;
            return new ServerProcess(process, workingDirectory, baseAddress, stderr);
        }
        finally
        {
            if (!started)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
                process.Dispose();
            }
        }
    }

    /// <summary>
    /// Ends the server at once, the way a power cut or the OOM killer would: SIGKILL on Linux
    /// (<c>kill -9</c>), no shutdown hooks, nothing flushed. The temporary directories stay.
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        using var timeout = new CancellationTokenSource(StartTimeout);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not a test failure.
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
