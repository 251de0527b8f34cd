using Microsoft.Extensions.Options;
using Npgsql;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Postgres;

/// <summary>
/// The one connection pool to the PostgreSQL store. Every use goes through <see cref="RunAsync"/>,
/// which turns a database failure into <see cref="StoreUnavailableException"/>. Nothing is cached
/// between calls, so a database that comes back is used again at once (the pool drops broken
/// connections and opens new ones by itself).
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>Statements Npgsql keeps prepared per connection (Max Auto Prepare), more than the store uses.</summary>
    private const int AutoPreparedStatements = 32;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(IOptions<PostgresOptions> options)
        : this(options.Value)
    {
    }

    public PostgresDatabase(PostgresOptions options)
    {
        var connectionString = options.ConnectionString
            ?? throw new InvalidOperationException("The PostgreSQL store needs TUTORCLAW_DATABASE_URL.");
        Location = options.Location;
        // The store sends the same few statements over and over (a webhook is about seven), so let
        // Npgsql prepare them per connection after a few uses instead of parsing and planning each
        // time; a connection string that sets Max Auto Prepare itself keeps its value.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
        }
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>"host/database": no user, no password.</summary>
    public string Location { get; }

    /// <summary>Runs <paramref name="work"/> on a pooled connection; a database failure becomes <see cref="StoreUnavailableException"/>.</summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Npgsql's messages name hosts, users and server errors, never the password.
            throw new StoreUnavailableException($"The PostgreSQL database {Location} is unavailable: {e.Message}", e);
        }
    }

    /// <summary>A connection of its own for the caller to hold (a session-level advisory lock);
    /// a database failure becomes <see cref="StoreUnavailableException"/>.</summary>
    public async Task<NpgsqlConnection> OpenSessionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"The PostgreSQL database {Location} is unavailable: {e.Message}", e);
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
