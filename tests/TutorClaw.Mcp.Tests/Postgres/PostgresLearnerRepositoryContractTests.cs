using Npgsql;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Postgres;
using TutorClaw.Mcp.Tests.Learners;
using TutorClaw.Mcp.Tests.Support;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.Tests.Postgres;

/// <summary>The repository contract on a real PostgreSQL: a new, migrated database per test; every
/// <see cref="OpenAsync"/> is a replica of its own (its own connection pool).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLearnerRepositoryContractTests(PostgresServer server) : LearnerRepositoryContract
{
    private readonly List<PostgresDatabase> _databases = [];
    private string _connectionString = "";

    protected override async Task PrepareStoreAsync()
    {
        _connectionString = server.ConnectionString(server.CreateDatabase());
        await using var database = Database();
        Assert.IsType<SchemaMigrationResult.UpToDate>(await new PostgresSchemaMigrator(database, NullLogger()).MigrateAsync(None));
    }

    protected override async Task RemoveStoreAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    protected override Task<ILearnerRepository> OpenAsync()
    {
        var database = Database();
        _databases.Add(database);
        return Task.FromResult<ILearnerRepository>(new PostgresLearnerRepository(database, Clock));
    }

    /// <summary>The row's xmin: the id of the transaction that last wrote it, changed by any UPDATE.</summary>
    protected override async Task<string?> StoredVersionAsync(LearnerId id)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xmin::text FROM learners WHERE learner_id = @id", connection);
        command.Parameters.AddWithValue("id", id.Value);
        return await command.ExecuteScalarAsync() as string;
    }

    private PostgresDatabase Database() =>
        new(new PostgresOptions { ConnectionString = _connectionString, Location = "127.0.0.1/test" });

    private static Microsoft.Extensions.Logging.ILogger<PostgresSchemaMigrator> NullLogger() =>
        Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresSchemaMigrator>.Instance;
}
