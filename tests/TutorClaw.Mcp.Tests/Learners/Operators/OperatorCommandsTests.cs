using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Learners.Operators;
using TutorClaw.Mcp.Tests.Support;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.Tests.Learners.Operators;

/// <summary>grant, revoke and learners through their entry points (already-parsed values in, exit code out), on the real file store.</summary>
public sealed class OperatorCommandsTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _temp = new();
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-12-03T10:00:00Z"));
    private readonly FileLearnerRepository _repository;
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public OperatorCommandsTests()
    {
        _repository = new FileLearnerRepository(_temp.Combine("data"), _clock);
    }

    public void Dispose()
    {
        _repository.Dispose();
        _temp.Dispose();
    }

    /// <summary>Every learner file and its bytes (lock files may appear; documents must not change).</summary>
    private List<string> LearnerFiles() =>
        [.. Directory.EnumerateFiles(_temp.Combine("data", "learners")).Order(StringComparer.Ordinal).Select(f => f + " " + File.ReadAllText(f))];

    private TierCommands Tiers => new(_repository, _clock);

    private async Task<LearnerId> AddAsync(string id)
    {
        var learnerId = LearnerId.Parse(id);
        await _repository.TryCreateAsync(Learner.CreateFree(learnerId, "Ada", _clock.GetUtcNow().AddDays(-3)), None);
        return learnerId;
    }

    [Fact]
    public async Task Grant_records_the_operator_fact_sets_paid_and_prints_what_the_tier_rests_on()
    {
        var id = await AddAsync("lrn_ada");

        var exit = await Tiers.GrantAsync("lrn_ada", "  scholarship ", _out, _err, None);

        Assert.Equal(0, exit);
        Assert.Equal("lrn_ada paid: granted by the operator on 3 Dec 2026 (scholarship)" + Environment.NewLine, _out.ToString());
        var learner = await _repository.FindAsync(id, None);
        Assert.Equal(Tier.Paid, learner!.Tier);
        Assert.Equal(new OperatorFact(_clock.GetUtcNow(), OperatorAction.Grant, Tier.Paid, "scholarship"), Assert.Single(learner.OperatorFacts));
    }

    [Fact]
    public async Task Revoke_sets_free_and_keeps_the_history()
    {
        var id = await AddAsync("lrn_ada");
        await Tiers.GrantAsync("lrn_ada", null, _out, _err, None);

        var exit = await Tiers.RevokeAsync("lrn_ada", null, _out, _err, None);

        Assert.Equal(0, exit);
        var learner = await _repository.FindAsync(id, None);
        Assert.Equal(Tier.Free, learner!.Tier);
        Assert.Equal([OperatorAction.Grant, OperatorAction.Revoke], learner.OperatorFacts.Select(f => f.Action));
    }

    [Theory]
    [InlineData(null, null, "needs a learner id")]
    [InlineData("../etc/passwd", null, "not a valid learner id")]
    [InlineData("lrn_nobody", null, "no learner with id lrn_nobody")]
    [InlineData("lrn_ada", "line one\nline two", "--reason")]
    public async Task Bad_input_is_one_line_on_stderr_and_exit_code_2(string? learnerId, string? reason, string expected)
    {
        await AddAsync("lrn_ada");
        var before = LearnerFiles();

        var exit = await Tiers.GrantAsync(learnerId, reason, _out, _err, None);

        Assert.Equal(2, exit);
        var line = Assert.Single(_err.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
        Assert.DoesNotContain("passwd", line);
        Assert.Empty(_out.ToString());
        Assert.Equal(before, LearnerFiles());
    }

    [Fact]
    public async Task Learners_lists_one_line_each_filtered_by_tier()
    {
        await AddAsync("lrn_b_free");
        await AddAsync("lrn_a_granted");
        await Tiers.GrantAsync("lrn_a_granted", "staff", TextWriter.Null, _err, None);
        var list = new LearnersCommand(_repository);

        var all = await list.ListAsync(null, _out, _err, None);
        var paid = new StringWriter();
        await list.ListAsync(Tier.Paid, paid, _err, None);

        Assert.Equal(0, all);
        Assert.Equal(
            ["lrn_a_granted paid 2026-12-03 paid: granted by the operator on 3 Dec 2026 (staff)", "lrn_b_free free 2026-11-30 free: registered on 30 Nov 2026"],
            _out.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["lrn_a_granted"], paid.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]));
    }

    [Theory]
    [InlineData("grant", "lrn_ada", "--reason", "scholarship")]
    [InlineData("revoke", "--reason", "abuse", "lrn_ada")]
    [InlineData("learners", "--tier", "paid")]
    [InlineData("learners")]
    public void The_command_line_runs_the_operator_command(params string[] args)
    {
        var commandLine = CommandLine.Parse(args);

        Assert.Null(commandLine.AnswerAlone(TextWriter.Null, TextWriter.Null));
        Assert.Equal(LaunchMode.Command, commandLine.Mode);
        Assert.NotNull(commandLine.Run);
    }

    [Theory]
    [InlineData("grant")]
    [InlineData("revoke", "--reason", "x")]
    [InlineData("grant", "lrn_ada", "--reason")]
    [InlineData("learners", "--tier", "gold")]
    public void A_missing_or_bad_argument_is_a_usage_error(params string[] args)
    {
        var error = new StringWriter();

        Assert.Equal(CommandLine.ExitUsage, CommandLine.Parse(args).AnswerAlone(TextWriter.Null, error));
        Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
