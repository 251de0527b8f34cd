using System.Globalization;
using TutorClaw.LoadTest;

// The end-to-end load tool of README "Performance". Run by hand against a Release build:
//   dotnet build TutorClawMcp.sln -c Release
//   dotnet run -c Release --project tests/TutorClaw.LoadTest -- <mode> [options]
// Every loop is bounded by its count; every server it starts listens on 127.0.0.1 only and is
// killed when the mode ends.
const string Usage = """
    usage: TutorClaw.LoadTest <mode> [options]
      webhook    POST /webhook end to end: --learners 2000 --events-per-learner 2 --concurrency 1,16,64 [--replay true]
      mcp        tools/call get_learner_tier p50/p99 over stdio and /mcp: --calls 2000
      coldstart  spawn -> first tools/list answer over stdio: --runs 10
      idle       server RSS after start and --seconds 10 of idling
      fsync      disk: fsync and durable-replace latency and CPU (--count 1000), and group-committed appends
      compare    issue 14's three-way webhook table: real server, naive per-write fsync, do-nothing; c=64 and c=1,
                 redelivery, ratios: --learners 2000 --events-per-learner 2 [--baseline <another build's TutorClaw.Mcp.dll>]
      postgres   issue 15's webhook comparison: file store, PostgreSQL with 1 and with 2 replicas (the tool starts its own
                 PostgreSQL, fsync on), c=64 and redelivery, ratios: --learners 2000 --events-per-learner 2
      all        all of the above with their defaults
    webhook, compare and postgres first send --warmup-events 12000 (to learners of their own) so that the JIT is done
    common: --server <TutorClaw.Mcp.dll | published executable> (default: src/TutorClaw.Mcp/bin/Release/net10.0/TutorClaw.Mcp.dll)
            --env KEY=VALUE (repeatable; set on the server, e.g. DOTNET_gcServer=0)
    """;

if (args is [DoNothingServer.Mode, "--urls", var urls])
{
    await DoNothingServer.RunAsync(urls);
    return 0;
}

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

var mode = args[0];
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var environment = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"Unexpected argument '{args[i]}'.\n{Usage}");
        return 2;
    }
    if (args[i] == "--env")
    {
        var pair = args[++i].Split('=', 2);
        environment[pair[0]] = pair.Length == 2 ? pair[1] : "";
    }
    else
    {
        options[args[i][2..]] = args[++i];
    }
}

int Int(string name, int fallback) => options.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
var build = options.TryGetValue("server", out var serverPath) ? new ServerBuild(Path.GetFullPath(serverPath)) : ServerBuild.Default;

Console.WriteLine("machine: " + Machine.Describe());
Console.WriteLine($"server:  {build.Path}" + (environment.Count > 0 ? " with " + string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}")) : ""));

var all = mode == "all";
var known = false;
if (all || mode == "fsync")
{
    known = true;
    var directory = Path.Combine(Path.GetTempPath(), "tutorclaw-loadtest", "fsync-" + Guid.NewGuid().ToString("N"));
    var probe = FsyncProbe.Run(directory, Int("count", 1000));
    Console.WriteLine($"disk ({Path.GetTempPath()}): fsync of a 600-byte file: {probe.Fsync.Summary()}, CPU {probe.FsyncCpuMicroseconds:F0} µs each");
    Console.WriteLine($"disk ({Path.GetTempPath()}): temp+fsync+rename+dir fsync: {probe.DurableReplace.Summary()}, CPU {probe.DurableReplaceCpuMicroseconds:F0} µs each");
    foreach (var writers in new[] { 1, 64 })
    {
        var group = GroupCommitProbe.Run(directory, writers, 6400);
        Console.WriteLine($"disk ({Path.GetTempPath()}): group-committed 1 KiB appends, {writers} writers: {group.RecordsPerSecond:F0} durable records/s, CPU {group.CpuMicrosecondsPerRecord:F0} µs each");
    }
    Directory.Delete(directory, recursive: true);
}
if (all || mode == "idle")
{
    known = true;
    await using var server = await ServerUnderTest.StartAsync(build, environment);
    var started = server.RssMiB;
    await Task.Delay(TimeSpan.FromSeconds(Int("seconds", 10)));
    Console.WriteLine($"idle RSS: {started:F1} MiB right after start, {server.RssMiB:F1} MiB after {Int("seconds", 10)} s idle");
}
if (all || mode == "coldstart")
{
    known = true;
    var runs = await ColdStart.RunAsync(build, environment, Int("runs", 10));
    var sorted = runs.Select(r => r.ToolsListMs).Order().ToArray();
    var cpu = runs.Select(r => r.CpuMs).Order().ToArray();
    Console.WriteLine($"cold start to first tools/list answer: median {sorted[sorted.Length / 2]:F0} ms, min {sorted[0]:F0} ms, max {sorted[^1]:F0} ms over {sorted.Length} runs; server CPU median {cpu[cpu.Length / 2]:F0} ms");
}
if (all || mode == "mcp")
{
    known = true;
    await McpLatency.RunAsync(build, environment, Int("calls", 2000));
}
if (all || mode == "webhook")
{
    known = true;
    var concurrency = (options.TryGetValue("concurrency", out var levels) ? levels : "1,16,64")
        .Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
    await WebhookLoad.RunAsync(build, environment, Int("learners", 2000), Int("events-per-learner", 2), concurrency,
        options.TryGetValue("replay", out var replay) && replay == "true", warmupEvents: Int("warmup-events", WebhookLoad.DefaultWarmupEvents));
}
if (mode == "compare")
{
    known = true;
    var baseline = options.TryGetValue("baseline", out var baselinePath) ? new ServerBuild(Path.GetFullPath(baselinePath)) : null;
    await WebhookComparison.RunAsync(build, environment, Int("learners", 2000), Int("events-per-learner", 2), baseline,
        Int("warmup-events", WebhookLoad.DefaultWarmupEvents));
}
if (mode == "postgres")
{
    known = true;
    await PostgresComparison.RunAsync(build, environment, Int("learners", 2000), Int("events-per-learner", 2),
        Int("warmup-events", WebhookLoad.DefaultWarmupEvents));
}
DeletedFiles.DeleteRetired();
if (!known)
{
    Console.Error.WriteLine($"Unknown mode '{mode}'.\n{Usage}");
    return 2;
}
return 0;
