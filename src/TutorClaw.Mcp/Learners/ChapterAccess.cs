namespace TutorClaw.Mcp.Learners;

/// <summary>
/// check_chapter_access's rule, beside the tier rules: a paid learner may open every chapter, a
/// free learner the first <c>freeChapters</c>. The tier is the stored one (<see cref="Learner.Tier"/>).
/// </summary>
public sealed record ChapterAccess(bool Allowed, string Reason)
{
    public static bool IsChapter(int chapter) => chapter >= 1;

    public static ChapterAccess Check(Tier tier, int chapter, int freeChapters)
    {
        if (tier == Tier.Paid)
        {
            return new ChapterAccess(true, "The learner is on the paid tier; every chapter is open.");
        }
        return chapter <= freeChapters
            ? new ChapterAccess(true, $"Chapters 1 to {freeChapters} are free.")
            : new ChapterAccess(false, $"Chapter {chapter} is on the paid tier; for free learners {FreeChapters(freeChapters)}.");
    }

    /// <summary>"chapters 1 to 5 are open", with the cases 0 and 1 worded right.</summary>
    public static string FreeChapters(int count) => count switch
    {
        0 => "no chapters are free",
        1 => "chapter 1 is open",
        _ => $"chapters 1 to {count} are open",
    };
}
