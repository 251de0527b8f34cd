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
        _dataSource = NpgsqlDataSource.Create(connectionString);
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
