using Microsoft.Extensions.Logging.Console;

namespace TutorClaw.Mcp.Hosting;

public static class LoggingSetup
{
    /// <summary>
    /// Every log line goes to stderr, in every mode: in --stdio mode stdout carries JSON-RPC and
    /// one stray line would corrupt it, and one rule for both modes leaves nothing to forget.
    /// </summary>
    public static ILoggingBuilder AddTutorClawLogging(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.UseUtcTimestamp = true;
        });
        logging.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        // IHttpClientFactory logs every Stripe request at Information (and a failed one with a
        // stack trace per attempt); Stripe/ logs one line per failed call instead.
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        return logging;
    }
}
