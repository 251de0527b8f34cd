using Npgsql;

namespace TutorClaw.Mcp.Postgres;

/// <summary>
/// TUTORCLAW_DATABASE_URL in either of its two forms: an Npgsql connection string
/// (<c>Host=db;Port=5432;Username=tutor;Password=…;Database=tutorclaw</c>) or a URL
/// (<c>postgres://tutor:…@db:5432/tutorclaw?sslmode=require</c>; percent-encoded user and password,
/// query parameters taken as connection-string keywords).
/// </summary>
public static class DatabaseUrl
{
    public const int DefaultPort = 5432;

    /// <summary>The options for <paramref name="text"/>, or null when it is neither form or names no host.</summary>
    public static PostgresOptions? Translate(string text)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = text.Contains("://", StringComparison.Ordinal) ? FromUrl(text) : new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or UriFormatException)
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            return null;
        }
        var database = builder.Database ?? builder.Username ?? "";
        return new PostgresOptions { ConnectionString = builder.ConnectionString, Location = $"{builder.Host}/{database}" };
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql") || uri.Host.Length == 0)
        {
            throw new FormatException("Not a postgres:// URL.");
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.DnsSafeHost,
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("A query parameter needs a name and a value.");
            }
            builder[Uri.UnescapeDataString(pair[..equals])] = Uri.UnescapeDataString(pair[(equals + 1)..]);
        }
        return builder;
    }
}
