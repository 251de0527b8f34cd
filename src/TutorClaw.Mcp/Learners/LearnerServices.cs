using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Postgres;

namespace TutorClaw.Mcp.Learners;

public static class LearnerServices
{
    public static IServiceCollection AddLearners(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<FileLearnerRepository>();
        services.AddSingleton<ILearnerRepository>(sp => sp.GetRequiredService<IOptions<PostgresOptions>>().Value.IsConfigured
            ? sp.GetRequiredService<PostgresLearnerRepository>()
            : sp.GetRequiredService<FileLearnerRepository>());
        services.AddSingleton<LearnerRegistration>();
        return services;
    }
}
