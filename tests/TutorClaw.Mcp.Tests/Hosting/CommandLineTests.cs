using Microsoft.Extensions.Configuration;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Tests.Hosting;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Stdio_is_a_flag_anywhere_and_the_listen_address_reaches_the_host(bool stdioFirst)
    {
        var commandLine = CommandLine.Parse(UrlsAndStdio(stdioFirst));

        Assert.Equal(LaunchMode.Stdio, commandLine.Mode);
        Assert.Equal(["--urls", "http://127.0.0.1:9000"], commandLine.HostArgs);
        Assert.Null(Answer(commandLine).Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_listen_address_survives_stdio_in_either_position(bool stdioFirst)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(CommandLine.Parse(UrlsAndStdio(stdioFirst)).HostArgs).Build();

        Assert.Equal("http://127.0.0.1:9000", ConfigurationSources.ListenUrls(configuration));
    }

    [Fact]
    public void AspNetCore_host_settings_from_a_test_host_reach_the_host_configuration()
    {
        var commandLine = CommandLine.Parse(["--environment=Testing", "--contentRoot=/tmp/x", "--applicationName=TutorClaw.Mcp"]);

        Assert.Null(Answer(commandLine).Code);
        Assert.Equal(["--environment", "Testing", "--contentRoot", "/tmp/x", "--applicationName", "TutorClaw.Mcp"], commandLine.HostArgs);
    }

    [Fact]
    public void No_arguments_start_the_server()
    {
        var commandLine = CommandLine.Parse([]);

        Assert.Equal(LaunchMode.Server, commandLine.Mode);
        Assert.Empty(commandLine.HostArgs);
        Assert.Null(commandLine.Run);
        Assert.Null(Answer(commandLine).Code);
    }

    [Fact]
    public void Reconcile_is_a_command_and_stays_one_with_stdio()
    {
        var commandLine = CommandLine.Parse(["reconcile", "--since", "72h", "--stdio"]);

        Assert.Equal(LaunchMode.Command, commandLine.Mode);
        Assert.NotNull(commandLine.Run);
        var command = Assert.IsType<ReconcileCommand>(commandLine.Run!.Target);
        Assert.Equal(TimeSpan.FromHours(72), command.Since);
        Assert.False(command.ListUnmatched);
    }

    [Fact]
    public void Reconcile_reads_unmatched()
    {
        var command = Assert.IsType<ReconcileCommand>(CommandLine.Parse(["reconcile", "--unmatched"]).Run!.Target);

        Assert.True(command.ListUnmatched);
        Assert.Null(command.Since);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--TUTORCLAW_FREE_CHAPTERS=3")]
    [InlineData("reconcile", "--bogus")]
    [InlineData("reconcile", "extra")]
    [InlineData("backup")]
    [InlineData("--urls")]
    public void An_unknown_or_incomplete_argument_is_one_line_and_exit_code_2(params string[] args)
    {
        var (code, output, error) = Answer(CommandLine.Parse(args));

        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("TutorClaw: ", line);
        Assert.Contains("--help", line);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("reconcile", "--help")]
    [InlineData("backup", "--help")]
    [InlineData("--stdio", "--help")]
    public void Help_exits_0_and_lists_every_command_and_setting_with_its_variable(params string[] args)
    {
        var (code, output, error) = Answer(CommandLine.Parse(args));

        Assert.Equal(0, code);
        Assert.Equal("", error);
        foreach (var variable in typeof(ConfigurationKeys).GetFields().Select(f => (string)f.GetRawConstantValue()!))
        {
            Assert.Contains(variable, output);
        }
        Assert.Contains("Exit codes", output);
        if (args[0] == "--help")
        {
            foreach (var command in CommandLineDefinition.Root().Subcommands)
            {
                Assert.Contains(command.Name, output);
            }
        }
    }

    [Fact]
    public void Every_command_of_the_root_has_help()
    {
        foreach (var command in CommandLineDefinition.Root().Subcommands)
        {
            var (code, output, _) = Answer(CommandLine.Parse([command.Name, "--help"]));

            Assert.Equal(0, code);
            Assert.Contains(command.Description!, output);
        }
    }

    [Theory]
    [InlineData("72h", 72 * 60)]
    [InlineData("3d", 3 * 24 * 60)]
    [InlineData("90m", 90)]
    [InlineData("12", 12 * 60)]
    [InlineData("48H", 48 * 60)]
    public void Durations_read_hours_days_and_minutes(string text, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), CommandLine.ParseDuration(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("0h")]
    [InlineData("-1h")]
    [InlineData("72x")]
    [InlineData("seventy")]
    public void Malformed_durations_are_refused(string text)
    {
        Assert.Null(CommandLine.ParseDuration(text));
        var (code, _, error) = Answer(CommandLine.Parse(["reconcile", "--since", text]));
        Assert.Equal(2, code);
        Assert.Contains("--since", error);
    }

    private static (int? Code, string Output, string Error) Answer(CommandLine commandLine)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = commandLine.AnswerAlone(output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string[] UrlsAndStdio(bool stdioFirst) => stdioFirst
        ? ["--stdio", "--urls", "http://127.0.0.1:9000"]
        : ["--urls", "http://127.0.0.1:9000", "--stdio"];
}
