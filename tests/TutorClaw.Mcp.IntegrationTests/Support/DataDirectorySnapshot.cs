using System.Security.Cryptography;

namespace TutorClaw.Mcp.IntegrationTests.Support;

/// <summary>Every file under a directory with a digest of its bytes: equal snapshots mean nothing was written.</summary>
public static class DataDirectorySnapshot
{
    public static IReadOnlyDictionary<string, string> Take(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToDictionary(
                path => Path.GetRelativePath(directory, path),
                path => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
                StringComparer.Ordinal);

    /// <summary>Files added, removed or changed between two snapshots, one line each.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Keys.Union(after.Keys)
            .Order(StringComparer.Ordinal)
            .Where(path => !before.TryGetValue(path, out var a) || !after.TryGetValue(path, out var b) || a != b)
            .Select(path => (before.ContainsKey(path), after.ContainsKey(path)) switch
            {
                (false, true) => "added " + path,
                (true, false) => "removed " + path,
                _ => "changed " + path,
            })
            .ToList();
}
