using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Tests.Support;

namespace TutorClaw.Mcp.Tests.Learners;

/// <summary>The repository contract on the file store: a temporary data directory per test.</summary>
public sealed class FileLearnerRepositoryContractTests : LearnerRepositoryContract
{
    private readonly TempDirectory _temp = new();

    private string DataDirectory => _temp.Combine("data");

    protected override Task PrepareStoreAsync() => Task.CompletedTask;

    protected override Task RemoveStoreAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<ILearnerRepository> OpenAsync() =>
        Task.FromResult<ILearnerRepository>(new FileLearnerRepository(DataDirectory, Clock));

    /// <summary>The document's bytes and write time: any write changes the latter.</summary>
    protected override async Task<string?> StoredVersionAsync(LearnerId id)
    {
        var path = Path.Combine(DataDirectory, "learners", id.Value + ".json");
        return File.Exists(path)
            ? $"{File.GetLastWriteTimeUtc(path):O} {new FileInfo(path).Length} {Convert.ToHexString(await File.ReadAllBytesAsync(path))}"
            : null;
    }
}
