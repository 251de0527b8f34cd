using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Storage;

namespace TutorClaw.Mcp.Hosting;

/// <summary>
/// <c>backup DEST</c>: a consistent copy of the data directory while the server runs. Each file
/// is replaced atomically by its writer, so any one file copies whole; what a plain <c>cp -r</c>
/// gets wrong is the order between files (it follows directory order) and the temporary and lock
/// files it picks up. This copies, in an order that a restore can trust:
/// <list type="number">
/// <item><c>reconciliation.json</c> first, so the restored starting point is never ahead of the
/// documents: the first catch-up after a restore re-reads everything after it (idempotently).</item>
/// <item><c>learners/</c>, then <c>unmatched/</c>.</item>
/// <item>The indexes (<c>phones/</c>, <c>payment-intents/</c>) last. Entries are only ever added,
/// so every binding a copied document relies on is in the copy; an entry for a learner created
/// after its document was copied is harmless (registering that phone again recreates the learner).</item>
/// </list>
/// <c>locks/</c> and temporary files are skipped. Every file is written durably.
/// </summary>
public sealed class BackupCommand(string destination)
{
    /// <summary>The command's registration in <see cref="CommandLineDefinition.Root"/>.</summary>
    public static ServiceCommand Definition()
    {
        var destination = new Argument<string>("DEST") { Description = "An empty or new directory (not inside the data directory) to copy into." };
        return new ServiceCommand(
            "backup",
            "Copy the data directory consistently while the server runs. Restore: stop the server, point TUTORCLAW_DATA_DIR at the copy (or copy it back), start.",
            parsed => new BackupCommand(parsed.GetValue(destination)!).RunAsync)
        {
            destination,
        };
    }

    /// <summary>In copy order; see the class comment.</summary>
    internal static readonly string[] Order = ["reconciliation.json", "learners", "unmatched", "phones", "payment-intents"];

    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        var source = Path.GetFullPath(services.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory);
        var target = Path.GetFullPath(destination);
        if (!Directory.Exists(source))
        {
            await Console.Error.WriteLineAsync($"backup: there is no data directory at {source} ({ConfigurationKeys.DataDir}).");
            return CommandLine.ExitFailed;
        }
        if (IsWithin(target, source) || IsWithin(source, target))
        {
            await Console.Error.WriteLineAsync("backup: DEST must be outside the data directory.");
            return CommandLine.ExitUsage;
        }
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            await Console.Error.WriteLineAsync($"backup: {target} is not empty; give a new or empty directory.");
            return CommandLine.ExitUsage;
        }

        // After a crash with no server running, bring the files up to date from the store's journal first.
        if (File.Exists(Path.Combine(source, Journal.FileName)) && Journal.TryOpen(source) is { } journal)
        {
            using (journal)
            {
                JournalReplay.Run(journal, NullLogger.Instance);
            }
        }

        // The store's own durable writer: each copy is whole and on disk before the summary line.
        using var flush = new DiskFlush();
        using var writer = new GroupCommitWriter(flush);
        var copied = 0;
        foreach (var entry in Order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var from = Path.Combine(source, entry);
            if (File.Exists(from))
            {
                copied += await CopyFileAsync(writer, from, Path.Combine(target, entry)) ? 1 : 0;
            }
            else if (Directory.Exists(from))
            {
                var to = Path.Combine(target, entry);
                Directory.CreateDirectory(to);
                foreach (var file in Directory.EnumerateFiles(from).Where(f => !TemporaryFile.IsTemporary(f)).Order(StringComparer.Ordinal))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    copied += await CopyFileAsync(writer, file, Path.Combine(to, Path.GetFileName(file))) ? 1 : 0;
                }
            }
        }
        await output.WriteLineAsync($"backup: {copied} file(s) copied from {source} to {target}");
        return CommandLine.ExitOk;
    }

    /// <summary>False when the file vanished between listing and reading (not expected: nothing is deleted but temporaries).</summary>
    private static async Task<bool> CopyFileAsync(IDurableWriter writer, string from, string to)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(from);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        await writer.ReplaceAsync(to, bytes);
        return true;
    }

    private static bool IsWithin(string path, string directory) =>
        path.Equals(directory, StringComparison.Ordinal)
        || path.StartsWith(directory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
