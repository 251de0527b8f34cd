using TutorClaw.Mcp.Learners.Operators;

namespace TutorClaw.Mcp.Learners;

public static class LearnerServices
{
    public static IServiceCollection AddLearners(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PhoneNormalizer>();
        services.AddSingleton(sp => new PhoneIndexUpgrade(
            sp.GetRequiredService<ILearnerRepository>, sp.GetRequiredService<PhoneNormalizer>(), sp.GetRequiredService<ILogger<PhoneIndexUpgrade>>()));
        services.AddHostedService(sp => sp.GetRequiredService<PhoneIndexUpgrade>());
        services.AddSingleton<LearnerRegistration>();
        services.AddSingleton<TierCommands>();
        services.AddSingleton<LearnersCommand>();
        services.AddSingleton<RotateUpgradeLinkCommand>();
        return services;
    }
}
