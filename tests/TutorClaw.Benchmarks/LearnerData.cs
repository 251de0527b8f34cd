using System.Runtime.InteropServices;
using System.Text.Json;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Benchmarks;

/// <summary>Creates a data directory holding one free learner document per id, once.</summary>
public static class LearnerData
{
    private const string CompleteMarker = ".complete";

    public static void Ensure(string dataDirectory, IReadOnlyList<LearnerId> ids)
    {
        if (File.Exists(Path.Combine(dataDirectory, CompleteMarker)))
        {
            return;
        }
        var learners = Path.Combine(dataDirectory, "learners");
        Directory.CreateDirectory(learners);
        var now = DateTimeOffset.UtcNow;
        Console.WriteLine($"// creating {ids.Count} learner documents in {learners} (once)");
        foreach (var id in ids)
        {
            // Plain writes, not the repository's durable path: this is set-up, and 100,000 fsyncs
            // would take minutes for nothing the benchmark measures.
            var learner = Learner.CreateFree(id, "Bench learner", now);
            File.WriteAllBytes(Path.Combine(learners, id.Value + ".json"), JsonSerializer.SerializeToUtf8Bytes(learner, LearnerJsonContext.Default.Learner));
        }
        // Let the kernel write all of them back now, so the measured updates do not share the disk
        // with the write-back of the set-up.
        sync();
        File.WriteAllText(Path.Combine(dataDirectory, CompleteMarker), ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static void Warm(string dataDirectory)
    {
        foreach (var path in Directory.EnumerateFiles(Path.Combine(dataDirectory, "learners")))
        {
            _ = File.ReadAllBytes(path);
        }
    }

    [DllImport("libc")]
#pragma warning disable SYSLIB1054 // void sync(void): nothing to marshal, the generated form adds nothing
    private static extern void sync();
#pragma warning restore SYSLIB1054
}
