namespace TutorClaw.Mcp.Hosting;

/// <summary>
/// Variables whose value could not even be parsed (a non-number, a relative URL). Collected while
/// translating the flat names and reported by the validators, so every bad variable is named
/// in one place and none of them is echoed back.
/// </summary>
public sealed class SettingsProblems
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> All => _problems;

    public void Add(string variable, string expectation) => _problems.Add($"{variable} {expectation}.");
}
