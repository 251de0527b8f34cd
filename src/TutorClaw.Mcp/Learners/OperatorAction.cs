namespace TutorClaw.Mcp.Learners;

/// <summary>How an operator decided a learner's tier.</summary>
public enum OperatorAction
{
    /// <summary>The <c>grant</c> command: paid, whatever the billing facts say.</summary>
    Grant,

    /// <summary>The <c>revoke</c> command: free, until a new payment or the next decision.</summary>
    Revoke,

    /// <summary>A person changed <c>tier</c> in the learner's file; recorded by the first rewrite after it.</summary>
    HandEdit,
}
