using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Mcp;
using TutorClaw.Mcp.Postgres;
using TutorClaw.Mcp.Stripe;
using TutorClaw.Mcp.Webhooks;

var commandLine = CommandLine.Parse(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = commandLine.BuilderArgs,
    ContentRootPath = Directory.GetCurrentDirectory(),
});

builder.Configuration.AddTutorClawConfiguration(commandLine.HostArgs);
builder.Logging.AddTutorClawLogging();
builder.WebHost.UseTutorClawListener(builder.Configuration);

builder.Services.AddTutorClawOptions();
builder.Services.AddLearners();
builder.Services.AddPostgres();
builder.Services.AddStripeApi();
builder.Services.AddBilling();
builder.Services.AddStripeWebhooks();
builder.Services.AddTutorClawMcp(stdio: commandLine.Mode == LaunchMode.Stdio);
builder.Services.AddTutorClawHealth();
builder.Services.AddHostedService<StartupReport>();

var app = builder.Build();

app.MapHealth();
app.MapCheckoutPages();
app.MapStripeWebhook();
app.MapMcp();

return await app.RunTutorClawAsync(commandLine);
