using System.Diagnostics;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>A finished child process: its exit code and everything it wrote.</summary>
public sealed record ProcessRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>
    /// Runs a program to completion, or kills it after <paramref name="timeout"/> and fails the test.
    /// <paramref name="environment"/> overrides variables; a null value removes one.
    /// </summary>
    public static async Task<ProcessRun> RunAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        ServerEnvironment.Apply(start.Environment, environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout}. stderr: {await stderr}");
        }
        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }
}
