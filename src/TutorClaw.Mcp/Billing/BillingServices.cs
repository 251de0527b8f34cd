namespace TutorClaw.Mcp.Billing;

public static class BillingServices
{
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        services.AddSingleton<BillingStatusReporter>();
        services.AddSingleton<PaymentEventApplier>();
        services.AddSingleton<UpgradeLinks>();
        services.AddSingleton<PaidPlan>();
        services.AddHostedService<PriceCheckService>();
        services.AddSingleton<CheckoutService>();
        services.AddSingleton<BillingPortal>();
        services.AddSingleton<Reconciler>();
        services.AddHostedService<ReconciliationService>();
        services.AddCheckoutPages();
        return services;
    }
}
