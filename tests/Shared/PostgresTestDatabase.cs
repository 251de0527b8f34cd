using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TutorClaw.Mcp.Postgres;

namespace TutorClaw.Mcp.TestSupport;

/// <summary>A new database on the test server (not in the load tool, which has no database client), with helpers to open the store on it and to run SQL as the superuser.</summary>
public sealed class PostgresTestDatabase(PostgresServer server)
{
    public string Name { get; } = server.CreateDatabase();

    public string ConnectionString => server.ConnectionString(Name);

    public PostgresOptions Options => new() { ConnectionString = ConnectionString, Location = $"127.0.0.1/{Name}" };

    public PostgresDatabase Open() => new(Options);

    public static PostgresSchemaMigrator Migrator(PostgresDatabase database) =>
        new(database, NullLogger<PostgresSchemaMigrator>.Instance);

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Refuses new connections and ends the open ones: the database is unreachable for the store.</summary>
    public async Task TakeOfflineAsync()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS false; " +
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}' AND pid <> pg_backend_pid();",
            connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task BringOnlineAsync()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS true", connection);
        await command.ExecuteNonQueryAsync();
    }
}
