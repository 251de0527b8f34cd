namespace TutorClaw.Mcp.Learners;

public abstract record RegistrationResult
{
    private RegistrationResult()
    {
    }

    public sealed record Registered(Learner Learner, bool Created) : RegistrationResult;

    public sealed record Invalid(string Reason) : RegistrationResult;
}
