using System.Diagnostics;
using System.Text.RegularExpressions;

namespace TutorClaw.LoadTest;

/// <summary>
/// The built (or published) server as a child process on a free loopback port, in its own
/// temporary working and data directory, with none of the caller's STRIPE_* / TUTORCLAW_*
/// variables. stderr is drained continuously (the server logs one line per handled event) and
/// only its last lines are kept for error messages.
/// </summary>
public sealed partial class ServerUnderTest : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_loadtest_not_a_real_secret_0123456789";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Queue<string> _lastLines;

    private ServerUnderTest(Process process, string workingDirectory, Uri baseAddress, Queue<string> lastLines)
    {
        _process = process;
        _lastLines = lastLines;
        WorkingDirectory = workingDirectory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string WorkingDirectory { get; }

    public string DataDirectory => Path.Combine(WorkingDirectory, "data");

    public int ProcessId => _process.Id;

    /// <summary>Resident set size of the server process, in MiB (Linux /proc).</summary>
    public double RssMiB => ProcessMemory.RssMiB(_process.Id);

    /// <summary>CPU seconds (user + system) the server has used so far.</summary>
    public double CpuSeconds => ProcessMemory.CpuSeconds(_process.Id);

    public static async Task<ServerUnderTest> StartAsync(ServerBuild build, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var workingDirectory = Path.Combine(Path.GetTempPath(), "tutorclaw-loadtest", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workingDirectory);
        var start = build.StartInfo(["--urls", "http://127.0.0.1:0"]);
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        ServerBuild.SetEnvironment(start.Environment, Path.Combine(workingDirectory, "data"), extraEnvironment);

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastLines = new Queue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("The server exited before listening:\n" + string.Join('\n', lastLines)));
                return;
            }
            lock (lastLines)
            {
                lastLines.Enqueue(e.Data);
                if (lastLines.Count > 40)
                {
                    lastLines.Dequeue();
                }
            }
            if (e.Data.Contains("Journal checkpoint", StringComparison.Ordinal))
            {
                // A checkpoint flushes every file written since the last one: it explains a level's figures.
                Console.WriteLine($"  server {process.Id}: {e.Data.Trim()}");
            }
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var baseAddress = await listening.Task.WaitAsync(StartTimeout);
            return new ServerUnderTest(process, workingDirectory, baseAddress, lastLines);
        }
        catch (Exception)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.Dispose();
            throw;
        }
    }

    public string RecentLog()
    {
        lock (_lastLines)
        {
            return string.Join('\n', _lastLines);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        // Deleted when the run ends: deleting it now would slow the next server down (DeletedFiles).
        DeletedFiles.DeleteAtEnd(WorkingDirectory);
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
