using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>One real PostgreSQL server for every test class in this collection (xunit starts it
/// before the first of them and disposes it after the last); each test makes its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
