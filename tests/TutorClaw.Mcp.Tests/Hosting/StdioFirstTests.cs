using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Mcp;
using TutorClaw.Mcp.Tools;

namespace TutorClaw.Mcp.Tests.Hosting;

/// <summary>Issue 14: in --stdio mode the HTTP door (and everything after it) waits for the stdio client's first tools/list.</summary>
public sealed class StdioFirstTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Start_waits_until_a_tools_list_has_been_answered()
    {
        var timers = new HeldTimers();
        var gate = new StdioFirst(timers);

        var start = gate.StartAsync(CancellationToken.None);

        Assert.False(start.IsCompleted);
        gate.OnToolsListed();
        await start.WaitAsync(Hang);
        Assert.True(gate.ToolsListed.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_client_that_lists_no_tools_gets_the_rest_started_after_the_patience()
    {
        var timers = new HeldTimers();
        var gate = new StdioFirst(timers);

        var start = gate.StartAsync(CancellationToken.None);

        var patience = Assert.Single(timers.Created);
        Assert.Equal(StdioFirst.Patience, patience.DueTime);
        Assert.False(start.IsCompleted);
        patience.Fire();
        await start.WaitAsync(Hang);
        Assert.False(gate.ToolsListed.IsCompleted);
    }

    [Fact]
    public async Task A_host_stopping_before_any_tools_list_ends_the_wait()
    {
        var gate = new StdioFirst(new HeldTimers());
        using var stopping = new CancellationTokenSource();

        var start = gate.StartAsync(stopping.Token);
        await stopping.CancelAsync();

        await start.WaitAsync(Hang);
    }

    [Fact]
    public async Task With_stdio_the_hand_off_comes_first_then_the_gate_then_the_tool_preparation_and_mcp_shares_the_sessions_tools()
    {
        var toServer = new System.IO.Pipelines.Pipe();
        var toClient = new System.IO.Pipelines.Pipe();
        await using var session = StdioSession.Over(toServer.Reader.AsStream(), toClient.Writer.AsStream(), TimeProvider.System);
        var services = new ServiceCollection().AddTutorClawMcp(session);

        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
        var handOff = hosted.FindIndex(d => d.ImplementationType == typeof(StdioSessionHandOff));
        var gate = hosted.FindLastIndex(d => d.ImplementationFactory is not null);
        Assert.Equal([handOff + 1, gate + 1], [gate, hosted.FindIndex(d => d.ImplementationType == typeof(ToolPreparation))]);
        Assert.Equal(hosted.Count - 1, gate + 1);
        using var provider = services.BuildServiceProvider();
        Assert.Same(session.Gate, hosted[gate].ImplementationFactory!(provider));
        Assert.Equal(session.Tools, provider.GetServices<ModelContextProtocol.Server.McpServerTool>());
        await toServer.Writer.CompleteAsync();
    }

    [Fact]
    public void Without_stdio_nothing_waits()
    {
        var services = new ServiceCollection().AddTutorClawMcp(stdio: null);

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(StdioFirst));
    }

    /// <summary>Timers that fire only when a test says so.</summary>
    private sealed class HeldTimers : TimeProvider
    {
        public List<HeldTimer> Created { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new HeldTimer(() => callback(state), dueTime);
            lock (Created)
            {
                Created.Add(timer);
            }
            return timer;
        }
    }

    private sealed class HeldTimer(Action fire, TimeSpan dueTime) : ITimer
    {
        public TimeSpan DueTime { get; } = dueTime;

        public void Fire() => fire();

        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
