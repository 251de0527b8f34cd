using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Mcp;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.Postgres;
using TutorClaw.Mcp.Stripe;
using TutorClaw.Mcp.Telemetry;
using TutorClaw.Mcp.Tools;
using TutorClaw.Mcp.Webhooks;

ToolCatalog.LoadAside();
var commandLine = CommandLine.Parse(args);
if (commandLine.AnswerAlone(Console.Out, Console.Error) is { } answered)
{
    return answered;
}
// --stdio: the client's first messages are answered from here on, while the rest is composed.
await using var stdio = commandLine.Mode == LaunchMode.Stdio ? StdioSession.Open() : null;
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = commandLine.BuilderArgs,
    ContentRootPath = Directory.GetCurrentDirectory(),
});

builder.Configuration.AddTutorClawConfiguration(commandLine.HostArgs);
builder.Logging.AddTutorClawLogging(builder.Configuration);
builder.WebHost.UseTutorClawListener(builder.Configuration, commandLine.Mode);

builder.Services.AddTutorClawOptions();
builder.Services.AddStore();
builder.Services.AddLearners();
builder.Services.AddPostgres();
builder.Services.AddStripeApi();
builder.Services.AddBilling();
builder.Services.AddStripeWebhooks();
builder.Services.AddTutorClawMcp(stdio);
builder.Services.AddTutorClawHealth();
builder.Services.AddTutorClawTelemetry(builder.Configuration);
builder.Services.AddHostedService<StartupReport>();

var app = builder.Build().BuildMetersAside();
if (app.RefuseInvalidSettings() is { } exitCode)
{
    return exitCode;
}
app.UseRateLimiter();

app.UseLearnerNotFoundPage();
app.MapHealth();
app.MapCheckoutPages();
app.MapStripeWebhook();
app.MapMcpDoor();
// Last: its exporter needs the meter provider, which is being built aside meanwhile.
app.MapMetrics();

return await app.RunTutorClawAsync(commandLine);
