using System.ComponentModel;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Tools;

/// <summary>register_learner's answer.</summary>
[Description("The registered learner.")]
public sealed record RegisteredLearner(
    [property: Description("Keep this id: every other tool takes it.")] string LearnerId,
    Tier Tier,
    [property: Description("False when this phone number was already registered and the existing learner is returned.")] bool Created,
    DateTimeOffset CreatedAt,
    [property: Description("How many chapters, from chapter 1, a free learner may open.")] int FreeChapters);
