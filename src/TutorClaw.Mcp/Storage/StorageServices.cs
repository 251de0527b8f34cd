using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Postgres;

namespace TutorClaw.Mcp.Storage;

public static class StorageServices
{
    /// <summary>The one store, and each of its parts for the features that use them.</summary>
    public static IServiceCollection AddStore(this IServiceCollection services)
    {
        services.AddSingleton<IStore, FileStore>();
        // TUTORCLAW_DATABASE_URL moves the learners to PostgreSQL; the other parts follow in the
        // PostgreSQL store (issue 15, phase B).
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PostgresOptions>>().Value.IsConfigured
            ? sp.GetRequiredService<PostgresLearnerRepository>()
            : sp.GetRequiredService<IStore>().Learners);
        services.AddSingleton(sp => sp.GetRequiredService<IStore>().PaymentIntents);
        services.AddSingleton(sp => sp.GetRequiredService<IStore>().Unmatched);
        services.AddSingleton(sp => sp.GetRequiredService<IStore>().Reconciliation);
        return services;
    }
}
