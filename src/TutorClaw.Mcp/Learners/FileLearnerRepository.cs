using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TutorClaw.Mcp.Storage;

namespace TutorClaw.Mcp.Learners;

/// <summary>
/// The embedded store of SPEC §3: one JSON document per learner under
/// <c>&lt;data&gt;/learners/&lt;id&gt;.json</c>, written through the store's durable writer (group
/// commit). An update touches one file and one lock stripe, so its cost does not grow with the
/// number of learners. The lock is held until the write is durable, so the next update of the
/// same learner (in this process or another) reads what was acknowledged.
/// </summary>
public sealed class FileLearnerRepository : ILearnerRepository, IDisposable
{
    private const string DocumentExtension = ".json";
    private readonly FileStoreDisk _disk;
    private readonly bool _ownsDisk;
    private readonly string _learnersDirectory;
    private readonly string _phonesDirectory;
    private readonly string _upgradeLinksDirectory;
    private readonly TimeProvider _clock;

    /// <summary>A repository of its own on <paramref name="dataDirectory"/> (tools and tests).</summary>
    public FileLearnerRepository(string dataDirectory, TimeProvider clock)
        : this(new FileStoreDisk(dataDirectory, StoreCommit.Group), clock, ownsDisk: true)
    {
    }

    /// <summary>The learners part of a <see cref="FileStore"/>, sharing its writer and locks.</summary>
    public FileLearnerRepository(FileStoreDisk disk, TimeProvider clock)
        : this(disk, clock, ownsDisk: false)
    {
    }

    private FileLearnerRepository(FileStoreDisk disk, TimeProvider clock, bool ownsDisk)
    {
        _disk = disk;
        _ownsDisk = ownsDisk;
        _learnersDirectory = disk.Directory("learners");
        _phonesDirectory = disk.Directory("phones");
        _upgradeLinksDirectory = disk.Directory("upgrade-links");
        _clock = clock;
    }

    public string Kind => "file";

    public string Location => _disk.Location;

    public Task<Learner?> FindAsync(LearnerId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(id));
    }

    public Task<bool> ExistsAsync(LearnerId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(PathOf(id)));
    }

    public async Task<bool> TryCreateAsync(Learner learner, CancellationToken cancellationToken)
    {
        using var held = await _disk.Locks.AcquireAsync(learner.LearnerId.Value, cancellationToken).ConfigureAwait(false);
        return await _disk.Writer.TryCreateAsync(PathOf(learner.LearnerId), Serialize(learner)).ConfigureAwait(false);
    }

    public async Task<Learner?> UpdateAsync(LearnerId id, Func<Learner, Learner> change, CancellationToken cancellationToken)
    {
        using var held = await _disk.Locks.AcquireAsync(id.Value, cancellationToken).ConfigureAwait(false);
        if (ReadDocument(id) is not var (current, currentBytes))
        {
            return null;
        }
        // The document is the truth a person may edit: a hand edit is dated when the file was written.
        var update = await LearnerDocumentRules.UpdateAsync(
            current,
            new DateTimeOffset(File.GetLastWriteTimeUtc(PathOf(id)), TimeSpan.Zero),
            change,
            IndexPhoneAsync,
            _clock.GetUtcNow()).ConfigureAwait(false);
        if (update.Changed is not { } changed)
        {
            return update.Current;
        }
        var tokenChanged = changed.UpgradeToken != current.UpgradeToken;
        if (tokenChanged && changed.UpgradeToken is { } token)
        {
            // The index entry is durable before the document names the token; a crash in between
            // leaves an entry that the document does not confirm, which finds nobody.
            await _disk.Writer.ReplaceAsync(UpgradeLinkPathOf(token), Encoding.ASCII.GetBytes(id.Value)).ConfigureAwait(false);
        }
        await _disk.Writer.ReplaceReadAsync(PathOf(id), Serialize(changed), currentBytes).ConfigureAwait(false);
        if (tokenChanged && current.UpgradeToken is { } old)
        {
            // Tidiness only: the document no longer confirms the old entry, so it finds nobody either way.
            File.Delete(UpgradeLinkPathOf(old));
        }
        return changed;

        // Created atomically without the phone's lock (which could share a stripe with the
        // learner's, held here); a phone already bound to another learner stays theirs.
        Task IndexPhoneAsync(string phoneKey) =>
            _disk.Writer.TryCreateAsync(Path.Combine(_phonesDirectory, phoneKey), Encoding.ASCII.GetBytes(id.Value));
    }

    public async Task<LearnerId> ClaimPhoneAsync(string phoneKey, LearnerId candidate, CancellationToken cancellationToken)
    {
        if (phoneKey.Length == 0 || !phoneKey.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("A phone key is a lowercase hex digest.", nameof(phoneKey));
        }
        var path = Path.Combine(_phonesDirectory, phoneKey);
        using var held = await _disk.Locks.AcquireAsync("phone:" + phoneKey, cancellationToken).ConfigureAwait(false);
        if (await _disk.Writer.TryCreateAsync(path, Encoding.ASCII.GetBytes(candidate.Value)).ConfigureAwait(false))
        {
            return candidate;
        }
        var owner = File.ReadAllText(path).Trim();
        return LearnerId.TryParse(owner, out var id)
            ? id
            : throw new InvalidDataException($"The phone index entry {phoneKey} does not hold a learner id.");
    }

    public Task<Learner?> FindByUpgradeTokenAsync(string token, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string owner;
        try
        {
            owner = File.ReadAllText(UpgradeLinkPathOf(token)).Trim();
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<Learner?>(null);
        }
        // The learner's document is the truth: an entry left by a rotated or revoked token, or by a
        // crash between the two writes, is not confirmed by it.
        var learner = LearnerId.TryParse(owner, out var id) ? Read(id) : null;
        return Task.FromResult(learner?.UpgradeToken == token ? learner : null);
    }

    public async IAsyncEnumerable<LearnerId> ListIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var path in Directory.EnumerateFiles(_learnersDirectory, "*" + DocumentExtension))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!TemporaryFile.IsTemporary(path) && LearnerId.TryParse(Path.GetFileNameWithoutExtension(path), out var id))
            {
                yield return id;
            }
        }
    }

    public void Dispose()
    {
        if (_ownsDisk)
        {
            _disk.Dispose();
        }
    }

    private string PathOf(LearnerId id) => Path.Combine(_learnersDirectory, id.Value + DocumentExtension);

    /// <summary>Named by the token's SHA-256 in lowercase hex, like the phone index: a file name
    /// that means the same on a case-insensitive file system, whatever the token holds.</summary>
    private string UpgradeLinkPathOf(string token) =>
        Path.Combine(_upgradeLinksDirectory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))));

    private Learner? Read(LearnerId id) => ReadDocument(id)?.Learner;

    /// <summary>The learner and the bytes it was read from, or null when there is no document.</summary>
    private (Learner Learner, byte[] Bytes)? ReadDocument(LearnerId id)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(PathOf(id));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        try
        {
            var learner = JsonSerializer.Deserialize(bytes, LearnerJsonContext.Default.Learner)
                ?? throw new InvalidDataException($"The document of learner {id} is empty.");
            return (learner.CreatedAt == default ? WithFileTimes(learner, id) : learner, bytes);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The document of learner {id} is not valid JSON.", e);
        }
    }

    /// <summary>A document that does not say when it was created (the tutorial's shape) is dated by its file.</summary>
    private Learner WithFileTimes(Learner learner, LearnerId id)
    {
        var written = new DateTimeOffset(File.GetLastWriteTimeUtc(PathOf(id)), TimeSpan.Zero);
        return learner with { CreatedAt = written, UpdatedAt = learner.UpdatedAt == default ? written : learner.UpdatedAt };
    }

    private static byte[] Serialize(Learner learner) =>
        JsonSerializer.SerializeToUtf8Bytes(learner, LearnerJsonContext.Default.Learner);
}
