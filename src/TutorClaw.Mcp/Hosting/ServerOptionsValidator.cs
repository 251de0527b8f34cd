using Microsoft.Extensions.Options;

namespace TutorClaw.Mcp.Hosting;

public sealed class ServerOptionsValidator(SettingsProblems problems) : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var failures = problems.All.Where(p => !p.StartsWith("STRIPE_", StringComparison.Ordinal)).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
