namespace TutorClaw.Mcp.Billing;

public static class BillingServices
{
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        services.AddSingleton<BillingStatusReporter>();
        return services;
    }
}
