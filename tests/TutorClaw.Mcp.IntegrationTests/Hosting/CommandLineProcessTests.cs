using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.IntegrationTests.Stdio;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.IntegrationTests.Hosting;

/// <summary>The command line as an operator meets it: the built server as a process, its exit code and streams.</summary>
public sealed class CommandLineProcessTests
{
    private static Task<ProcessRun> RunAsync(BuiltServer server, params string[] arguments) =>
        ProcessRun.RunAsync(BuiltServer.DotnetHost, [BuiltServer.ServerDll, .. arguments], server.WorkingDirectory, server.Environment(), BuiltServer.Patience);

    [Fact]
    public async Task Help_for_the_server_and_every_command_exits_0_and_names_every_command_and_setting()
    {
        using var server = new BuiltServer();
        var commands = CommandLineDefinition.Root().Subcommands.Select(c => c.Name).ToList();
        Assert.Contains("reconcile", commands);
        Assert.Contains("backup", commands);

        foreach (var arguments in new[] { new[] { "--help" } }.Concat(commands.Select(c => new[] { c, "--help" })))
        {
            var run = await RunAsync(server, arguments);

            Assert.True(run.ExitCode == 0, $"{string.Join(' ', arguments)} exited {run.ExitCode}: {run.Stderr}");
            Assert.Equal("", run.Stderr);
            foreach (var setting in Settings.All)
            {
                Assert.Contains(setting.Variable, run.Stdout);
            }
            if (arguments[0] == "--help")
            {
                Assert.All(commands, c => Assert.Contains(c, run.Stdout));
            }
        }
        Assert.False(Directory.Exists(server.DataDirectory), "help must not create the data directory");
    }

    [Theory]
    [InlineData("--no-such-option")]
    [InlineData("--stdio", "--no-such-option")]
    [InlineData("reconcile", "--no-such-option")]
    public async Task An_unknown_option_exits_2_with_one_line(params string[] arguments)
    {
        using var server = new BuiltServer();

        var run = await RunAsync(server, arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--no-such-option", line);
    }

    [Fact]
    public async Task A_log_format_other_than_text_or_json_stops_the_start_naming_the_variable()
    {
        using var server = new BuiltServer();

        var run = await ProcessRun.RunAsync(
            BuiltServer.DotnetHost, [BuiltServer.ServerDll, "reconcile", "--unmatched"], server.WorkingDirectory,
            server.Environment(("TUTORCLAW_LOG_FORMAT", "xml")), BuiltServer.Patience);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("TUTORCLAW_LOG_FORMAT must be text or json", run.Stderr);
    }

    [Fact]
    public async Task Backup_copies_documents_and_indexes_and_skips_locks_and_temporary_files()
    {
        using var server = new BuiltServer();
        using (var repository = new FileLearnerRepository(server.DataDirectory, TimeProvider.System))
        {
            var id = await repository.ClaimPhoneAsync(new string('a', 64), LearnerId.Parse("learner_backup"), default);
            await repository.TryCreateAsync(Learner.CreateFree(id, "Zoë", DateTimeOffset.UtcNow), default);
        }
        Directory.CreateDirectory(Path.Combine(server.DataDirectory, "locks"));
        File.WriteAllText(Path.Combine(server.DataDirectory, "locks", "learner_backup.lock"), "");
        File.WriteAllText(Path.Combine(server.DataDirectory, "learners", "learner_backup.json.tmp-0123"), "{");
        File.WriteAllText(Path.Combine(server.DataDirectory, "reconciliation.json"), "{}");
        var destination = Path.Combine(server.WorkingDirectory, "backup-1");

        var run = await RunAsync(server, "backup", destination);
        var again = await RunAsync(server, "backup", destination);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("3 file(s) copied", run.Stdout);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(server.DataDirectory, "learners", "learner_backup.json")),
            File.ReadAllBytes(Path.Combine(destination, "learners", "learner_backup.json")));
        Assert.True(File.Exists(Path.Combine(destination, "phones", new string('a', 64))));
        Assert.True(File.Exists(Path.Combine(destination, "reconciliation.json")));
        Assert.False(Directory.Exists(Path.Combine(destination, "locks")));
        Assert.Empty(Directory.GetFiles(destination, "*.tmp-*", SearchOption.AllDirectories));
        using (var restored = new FileLearnerRepository(destination, TimeProvider.System))
        {
            Assert.Equal("Zoë", (await restored.FindAsync(LearnerId.Parse("learner_backup"), default))!.Name);
        }
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("not empty", again.Stderr);
    }
}
