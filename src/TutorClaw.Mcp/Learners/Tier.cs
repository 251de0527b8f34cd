namespace TutorClaw.Mcp.Learners;

public enum Tier
{
    Free,
    Paid,
}
