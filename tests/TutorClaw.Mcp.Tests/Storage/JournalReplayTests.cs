using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.Tests.Support;

namespace TutorClaw.Mcp.Tests.Storage;

/// <summary>
/// What a crash can leave, built by hand: a journal written through <see cref="Journal"/> (cut
/// where a test says), and files that are stale, missing, empty, torn or edited by hand, as a lost
/// page cache, a kill between the journal's flush and the renames, a command or a person would
/// leave them. A store opened on it must bring every file the journal acknowledged up to date
/// and never overwrite a newer edit.
/// </summary>
public sealed class JournalReplayTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_torn_last_record_cut_at_any_byte_is_dropped_and_every_record_before_it_survives()
    {
        // Three files, each replaced twice; the last record (a third version of c.json) is then cut
        // at every byte: its bytes after the cut are zeros (a preallocated block) or garbage.
        var source = _temp.Combine("source");
        Directory.CreateDirectory(source);
        var records = new List<JournalRecord>();
        var versions = new Dictionary<string, List<byte[]>>(StringComparer.Ordinal);
        foreach (var name in new[] { "a.json", "b.json", "c.json" })
        {
            versions[name] = [Json(name, 0), Json(name, 1), Json(name, 2)];
            records.Add(Replace(name, versions[name][0], versions[name][1]));
            records.Add(Replace(name, versions[name][1], versions[name][2]));
        }
        var last = Replace("c.json", versions["c.json"][2], Json("c.json", 3));
        long endOfAcknowledged;
        long endOfLast;
        using (var journal = OpenReplayed(source))
        {
            journal.Append(records.Take(3).ToList());
            journal.Append(records.Skip(3).ToList());
            endOfAcknowledged = journal.Length;
            journal.Append([last]);
            endOfLast = journal.Length;
        }
        var journalBytes = File.ReadAllBytes(Path.Combine(source, Journal.FileName));
        var random = new Random(14);

        for (var cut = endOfAcknowledged; cut < endOfLast; cut++)
        {
            foreach (var garbage in new[] { false, true })
            {
                var data = _temp.Combine($"cut-{cut}-{garbage}");
                Directory.CreateDirectory(data);
                var torn = (byte[])journalBytes.Clone();
                var tail = torn.AsSpan((int)cut, (int)(endOfLast - cut));
                if (garbage)
                {
                    random.NextBytes(tail);
                }
                else
                {
                    tail.Clear();
                }
                File.WriteAllBytes(Path.Combine(data, Journal.FileName), torn);
                // The page cache was lost: every file still holds its first version.
                foreach (var (name, bytes) in versions)
                {
                    File.WriteAllBytes(Path.Combine(data, name), bytes[0]);
                }

                var result = Replay(data);

                Assert.Equal(6, result.Records);
                foreach (var (name, bytes) in versions)
                {
                    Assert.Equal(bytes[2], File.ReadAllBytes(Path.Combine(data, name)));
                }
                Directory.Delete(data, recursive: true);
            }
        }
    }

    [Fact]
    public void A_whole_last_record_is_replayed_and_the_journal_is_empty_afterwards()
    {
        var data = Data();
        using (var journal = OpenReplayed(data))
        {
            journal.Append([Replace("c.json", Json("c", 0), Json("c", 1))]);
        }
        File.WriteAllBytes(Path.Combine(data, "c.json"), Json("c", 0));

        Assert.Equal(1, Replay(data).Records);
        Assert.Equal(Json("c", 1), File.ReadAllBytes(Path.Combine(data, "c.json")));
        Assert.Equal(0, Replay(data).Records);
    }

    [Theory]
    [InlineData("stale")]
    [InlineData("missing")]
    [InlineData("empty")]
    [InlineData("torn")]
    [InlineData("zeros")]
    [InlineData("older")]
    public void Replay_restores_a_document_left_stale_missing_empty_or_torn(string state)
    {
        var data = Data();
        var path = Path.Combine(data, "learners", "l1.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        byte[] v0 = Json("l1", 0), v1 = Json("l1", 1), v2 = Json("l1", 2);
        using (var journal = OpenReplayed(data))
        {
            journal.Append([Create("learners/l1.json", v0)]);
            journal.Append([Replace("learners/l1.json", v0, v1)]);
            journal.Append([Replace("learners/l1.json", v1, v2)]);
        }
        switch (state)
        {
            case "stale":
                File.WriteAllBytes(path, v1);
                break;
            case "older":
                File.WriteAllBytes(path, v0);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "torn":
                File.WriteAllBytes(path, v2[..(v2.Length / 2)]);
                break;
            case "zeros":
                File.WriteAllBytes(path, new byte[v2.Length]);
                break;
        }

        var result = Replay(data);

        Assert.Equal(v2, File.ReadAllBytes(path));
        Assert.Equal(1, result.Restored);
        Assert.Equal(0, result.KeptHandEdits);
    }

    [Fact]
    public void Replay_keeps_a_hand_edit_made_after_the_last_record()
    {
        var data = Data();
        var path = Path.Combine(data, "l1.json");
        byte[] v0 = Json("l1", 0), v1 = Json("l1", 1);
        File.WriteAllBytes(path, v0);
        using (var journal = OpenReplayed(data))
        {
            journal.Append([Replace("l1.json", v0, v1)]);
        }
        var edited = Encoding.UTF8.GetBytes("""{"name":"l1","tier":"paid","edited":"by hand"}""");
        File.WriteAllBytes(path, edited);

        var result = Replay(data);

        Assert.Equal(edited, File.ReadAllBytes(path));
        Assert.Equal(1, result.KeptHandEdits);
        Assert.Equal(0, result.Restored);
    }

    [Fact]
    public void A_command_write_between_two_records_is_the_later_records_before_state_and_is_replaced()
    {
        // Server: v0 -> v1. A command (no journal) writes its own version durably. Server: that -> v2,
        // whose rename the crash lost: the file holds the command's bytes, which the journal knows.
        var data = Data();
        var path = Path.Combine(data, "l1.json");
        byte[] v0 = Json("l1", 0), v1 = Json("l1", 1), v2 = Json("l1", 2);
        var byCommand = Encoding.UTF8.GetBytes("""{"name":"l1","granted":true}""");
        File.WriteAllBytes(path, v0);
        using (var journal = OpenReplayed(data))
        {
            journal.Append([Replace("l1.json", v0, v1)]);
            journal.Append([Replace("l1.json", byCommand, v2)]);
        }
        File.WriteAllBytes(path, byCommand);

        var result = Replay(data);

        Assert.Equal(v2, File.ReadAllBytes(path));
        Assert.Equal(0, result.KeptHandEdits);
    }

    [Fact]
    public void A_command_write_after_the_last_record_is_kept()
    {
        var data = Data();
        var path = Path.Combine(data, "l1.json");
        byte[] v0 = Json("l1", 0), v1 = Json("l1", 1);
        using (var journal = OpenReplayed(data))
        {
            journal.Append([Replace("l1.json", v0, v1)]);
        }
        var byCommand = Encoding.UTF8.GetBytes("""{"name":"l1","granted":true}""");
        File.WriteAllBytes(path, byCommand);

        Replay(data);

        Assert.Equal(byCommand, File.ReadAllBytes(path));
    }

    [Fact]
    public void Racing_creates_of_one_index_entry_replay_the_first_one_which_won()
    {
        var data = Data();
        var path = Path.Combine(data, "phones", "abc");
        using (var journal = OpenReplayed(data))
        {
            journal.Append([Create("phones/abc", "first"u8.ToArray()), Create("phones/abc", "second"u8.ToArray())]);
        }

        Replay(data);

        Assert.Equal("first", File.ReadAllText(path));
    }

    [Fact]
    public void A_create_if_absent_never_replaces_an_existing_whole_file()
    {
        var data = Data();
        var path = Path.Combine(data, "payment-intents", "pi_1");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "owner");
        using (var journal = OpenReplayed(data))
        {
            journal.Append([Create("payment-intents/pi_1", "someone-else"u8.ToArray())]);
        }

        Replay(data);

        Assert.Equal("owner", File.ReadAllText(path));
    }

    [Fact]
    public void A_record_naming_a_path_outside_the_data_directory_writes_nothing_there()
    {
        var data = Data();
        using (var journal = OpenReplayed(data))
        {
            journal.Append([Create("../outside.json", Json("x", 1))]);
        }

        Replay(data);

        Assert.False(File.Exists(_temp.Combine("outside.json")));
    }

    [Fact]
    public void A_second_opener_finds_the_journal_held_until_the_first_closes_it_and_can_still_read_it()
    {
        var data = Data();
        using (var first = Journal.TryOpen(data))
        {
            Assert.NotNull(first);
            Assert.Null(Journal.TryOpen(data));
            // Readers that know nothing of the lock (a backup, a test's snapshot) are not refused.
            _ = File.ReadAllBytes(Path.Combine(data, Journal.FileName));
        }
        using var again = Journal.TryOpen(data);
        Assert.NotNull(again);
    }

    private string Data()
    {
        var data = _temp.Combine("data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        return data;
    }

    private static Journal OpenReplayed(string data)
    {
        var journal = Journal.TryOpen(data) ?? throw new InvalidOperationException("journal held");
        JournalReplay.Run(journal, NullLogger.Instance);
        return journal;
    }

    private static JournalReplayResult Replay(string data)
    {
        using var journal = Journal.TryOpen(data) ?? throw new InvalidOperationException("journal held");
        return JournalReplay.Run(journal, NullLogger.Instance);
    }

    private static byte[] Json(string name, int version) =>
        Encoding.UTF8.GetBytes($$"""{"name":"{{name}}","version":{{version}}}""");

    private static JournalRecord Replace(string path, byte[] before, byte[] image) =>
        new(JournalOperation.Replace, path, SHA256.HashData(before), image);

    private static JournalRecord Create(string path, byte[] image) =>
        new(JournalOperation.CreateIfAbsent, path, null, image);
}
