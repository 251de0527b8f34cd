namespace TutorClaw.Mcp.Learners;

public static class LearnerServices
{
    public static IServiceCollection AddLearners(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LearnerRegistration>();
        return services;
    }
}
