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
        // TUTORCLAW_DATABASE_URL moves all state to PostgreSQL; unset, the embedded file store.
        // The file store is created here (not registered itself), so the container disposes it once.
        services.AddSingleton<IStore>(sp => sp.GetRequiredService<IOptions<PostgresOptions>>().Value.IsConfigured
            ? sp.GetRequiredService<PostgresStore>()
            : ActivatorUtilities.CreateInstance<FileStore>(sp));
        services.AddSingleton(sp => sp.GetRequiredService<IStore>().Learners);
        services.AddSingleton(sp => sp.GetRequiredService<IStore>().PaymentIntents);
        services.AddSingleton(sp => sp.GetRequiredService<IStore>().Unmatched);
        services.AddSingleton(sp => sp.GetRequiredService<IStore>().Reconciliation);
        // The first hosted service: the store opens while the rest of the host starts.
        services.AddHostedService<StoreOpening>();
        return services;
    }
}
