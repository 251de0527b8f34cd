namespace TutorClaw.Mcp.Postgres;

public static class PostgresServices
{
    /// <summary>The PostgreSQL store's parts; resolved only when TUTORCLAW_DATABASE_URL is set.</summary>
    public static IServiceCollection AddPostgres(this IServiceCollection services)
    {
        services.AddSingleton<PostgresDatabase>();
        services.AddSingleton<PostgresSchemaMigrator>();
        services.AddSingleton<PostgresStore>();
        return services;
    }
}
