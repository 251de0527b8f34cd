using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Storage;

public static class StorageServices
{
    /// <summary>The one store, and each of its parts for the features that use them.</summary>
    public static IServiceCollection AddStore(this IServiceCollection services)
    {
        services.AddSingleton<IStore, FileStore>();
        services.AddSingleton(sp => sp.GetRequiredService<IStore>().Learners);
        services.AddSingleton(sp => sp.GetRequiredService<IStore>().PaymentIntents);
        services.AddSingleton(sp => sp.GetRequiredService<IStore>().Unmatched);
        services.AddSingleton(sp => sp.GetRequiredService<IStore>().Reconciliation);
        return services;
    }
}
