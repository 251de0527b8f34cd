using System.ComponentModel;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Tools;

/// <summary>check_chapter_access's answer.</summary>
[Description("Whether the learner may open the chapter.")]
public sealed record ChapterAccessAnswer(
    string LearnerId,
    int Chapter,
    [property: Description("True: teach the chapter. False: do not; follow next_step.")] bool Allowed,
    Tier Tier,
    int FreeChapters,
    [property: Description("Why, in a sentence you can relay.")] string Reason,
    [property: Description("What to do when access is refused; null when allowed.")] string? NextStep);
