using Npgsql;
using TutorClaw.Mcp.TestSupport;
using TutorClaw.Mcp.Tests.Support;

namespace TutorClaw.Mcp.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task The_test_server_is_a_real_postgresql_on_loopback_and_each_database_is_new()
    {
        var database = server.CreateDatabase();
        await using var connection = new NpgsqlConnection(server.ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_database(), inet_server_addr()::text, count(*) FROM pg_tables WHERE schemaname = 'public'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(database, reader.GetString(0));
        Assert.Equal("127.0.0.1/32", reader.GetString(1));
        Assert.Equal(0, reader.GetInt64(2));
    }
}
