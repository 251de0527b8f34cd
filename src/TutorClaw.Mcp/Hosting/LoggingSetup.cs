using Microsoft.Extensions.Logging.Console;

namespace TutorClaw.Mcp.Hosting;

public static class LoggingSetup
{
    public const string TextFormat = "text";
    public const string JsonFormat = "json";

    /// <summary>
    /// Every log line goes to stderr, in every mode: in --stdio mode stdout carries JSON-RPC and
    /// one stray line would corrupt it, and one rule for both modes leaves nothing to forget.
    /// TUTORCLAW_LOG_FORMAT=json makes each line one JSON object (for a log shipper); anything but
    /// text or json is refused at start (<see cref="SettingsTranslation"/>).
    /// </summary>
    public static ILoggingBuilder AddTutorClawLogging(this ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.ClearProviders();
        if (IsJson(configuration))
        {
            logging.AddJsonConsole(options =>
            {
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                options.UseUtcTimestamp = true;
            });
        }
        logging.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        // IHttpClientFactory logs every Stripe request at Information (and a failed one with a
        // stack trace per attempt); Stripe/ logs one line per failed call instead.
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        return logging;
    }

    /// <summary>True for json, false for text or unset; null for anything else.</summary>
    public static bool? ReadFormat(string? value) => value?.ToLowerInvariant() switch
    {
        null or TextFormat => false,
        JsonFormat => true,
        _ => null,
    };

    private static bool IsJson(IConfiguration configuration) =>
        ReadFormat(SettingsTranslation.Read(configuration, ConfigurationKeys.LogFormat)) == true;
}
