namespace TutorClaw.Mcp.Postgres;

/// <summary>One step of the schema: applied once, in order, inside a transaction.</summary>
public sealed record PostgresMigration(int Version, string Name, string Sql);
