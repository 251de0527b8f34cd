using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace TutorClaw.Mcp.Storage;

/// <summary>
/// The write-ahead journal file of the file store, <c>&lt;data&gt;/journal</c>, held by one process
/// at a time (an exclusive lock taken when it opens and released with the process, even by
/// kill -9; a second opener gets none and writes without it).
/// <para>Layout: a header block (magic, generation, checksum), then records, each
/// <c>[u32 length][u32 CRC-32C][payload]</c> with payload <c>[u64 generation][u64 sequence]
/// [u8 operation][u16 path length][path, UTF-8, relative to the data directory][u8 has before-hash]
/// [32-byte SHA-256 of the file before, if any][u32 image length][image]</c>. The CRC is chained
/// (each record's is seeded with the previous one's), so bytes left behind by an older or a failed
/// batch never continue a valid chain. Reading stops at the first record whose length, checksum,
/// generation or sequence is wrong: a torn tail is dropped.</para>
/// <para>Space is reused: <see cref="Reset"/> writes a new random generation into the header and
/// later records overwrite the old ones from the start; old records no longer match the
/// generation. The file grows in zero-filled steps, so an append inside it changes no file-system
/// metadata and its <c>fdatasync</c> is a plain data flush.</para>
/// </summary>
public sealed class Journal : IDisposable
{
    public const string FileName = "journal";
    private const int HeaderSize = 4096;
    private const int RecordPrefix = 8;
    private const int HashSize = 32;
    private const long MaxGrowthStep = 4 * 1024 * 1024;
    private const long FirstSize = HeaderSize + 60 * 1024;
    private static readonly byte[] Magic = "TCJRNL01"u8.ToArray();
    private readonly SafeFileHandle _file;
    private ulong _generation;
    private ulong _sequence;
    private uint _chain;
    private long _allocated;

    private Journal(string dataDirectory, SafeFileHandle file)
    {
        DataDirectory = dataDirectory;
        _file = file;
        _allocated = RandomAccess.GetLength(file);
        Length = HeaderSize;
    }

    public string DataDirectory { get; }

    /// <summary>Where the next record goes: the header plus every record since the last reset.</summary>
    public long Length { get; private set; }

    /// <summary>Records appended since the last reset.</summary>
    public ulong Records => _sequence;

    /// <summary>Opens and locks the journal of <paramref name="dataDirectory"/>; null when another
    /// process (or another store in this one) holds it, or on a system without the lock (Linux's
    /// open-file-description locks), where the store writes file by file instead.</summary>
    public static Journal? TryOpen(string dataDirectory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var file = File.OpenHandle(Path.Combine(dataDirectory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        try
        {
            if (FileSystemCalls.TryLockExclusive((int)file.DangerousGetHandle()))
            {
                return new Journal(dataDirectory, file);
            }
        }
        catch (Exception)
        {
            file.Dispose();
            throw;
        }
        file.Dispose();
        return null;
    }

    /// <summary>Every valid record since the last reset, in order (what replay needs); positions
    /// the journal after the last one.</summary>
    public IReadOnlyList<JournalRecord> ReadAll()
    {
        var records = new List<JournalRecord>();
        var fileLength = RandomAccess.GetLength(_file);
        var header = new byte[HeaderSize];
        if (fileLength < HeaderSize || RandomAccess.Read(_file, header, 0) < HeaderSize || !TryReadHeader(header, out var generation))
        {
            // New, or cut during its first header write (nothing had been journaled yet), or torn
            // by a reset, which only runs once every file it covered is durable.
            _generation = 0;
            Length = HeaderSize;
            return records;
        }
        _generation = generation;
        _chain = (uint)generation;
        _sequence = 0;
        var offset = (long)HeaderSize;
        var prefix = new byte[RecordPrefix];
        while (offset + RecordPrefix <= fileLength && RandomAccess.Read(_file, prefix, offset) == RecordPrefix)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(4));
            if (length < 8 + 8 + 1 + 2 + 1 + 4 || length > fileLength - offset - RecordPrefix)
            {
                break;
            }
            var payload = new byte[length];
            if (RandomAccess.Read(_file, payload, offset + RecordPrefix) != length || Crc32C(_chain, payload) != crc)
            {
                break;
            }
            if (!TryParse(payload, generation, _sequence + 1, out var record))
            {
                break;
            }
            records.Add(record);
            _chain = crc;
            _sequence++;
            offset += RecordPrefix + length;
        }
        Length = offset;
        return records;
    }

    /// <summary>Appends the records after the last one and makes them durable with one
    /// <c>fdatasync</c>. On failure nothing counts as appended: the next batch overwrites the
    /// same place, and the chained checksum keeps any of this batch's bytes from being read.</summary>
    public void Append(IReadOnlyList<JournalRecord> batch)
    {
        var size = batch.Sum(r => (long)RecordPrefix + PayloadSize(r));
        var buffer = new byte[size];
        var chain = _chain;
        var sequence = _sequence;
        var at = 0;
        foreach (var record in batch)
        {
            var payloadSize = PayloadSize(record);
            var payload = buffer.AsSpan(at + RecordPrefix, payloadSize);
            WritePayload(payload, record, _generation, ++sequence);
            chain = Crc32C(chain, payload);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(at), (uint)payloadSize);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(at + 4), chain);
            at += RecordPrefix + payloadSize;
        }
        EnsureAllocated(Length + size);
        RandomAccess.Write(_file, buffer, Length);
        FlushData();
        Length += size;
        _chain = chain;
        _sequence = sequence;
    }

    /// <summary>Starts a new generation: every record before it stops counting. Only call once
    /// every file those records produced is durable.</summary>
    public void Reset()
    {
        var generation = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(8), generation);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), Crc32C(0, header.AsSpan(0, 16)));
        var isNew = _allocated < HeaderSize;
        EnsureAllocated(HeaderSize);
        RandomAccess.Write(_file, header, 0);
        FlushData();
        if (isNew)
        {
            DiskFlush.FlushPath(DataDirectory);
        }
        _generation = generation;
        _chain = (uint)generation;
        _sequence = 0;
        Length = HeaderSize;
    }

    public void Dispose() => _file.Dispose();

    private static bool TryReadHeader(byte[] header, out ulong generation)
    {
        generation = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(8));
        return header.AsSpan(0, 8).SequenceEqual(Magic)
            && BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16)) == Crc32C(0, header.AsSpan(0, 16));
    }

    /// <summary>Grows the file in zero-filled steps (doubling, up to 4 MiB) so appends land in
    /// blocks that already exist; the flush that follows a growth also commits the new size.</summary>
    private void EnsureAllocated(long needed)
    {
        if (needed <= _allocated)
        {
            return;
        }
        var target = Math.Max(FirstSize, _allocated);
        while (target < needed)
        {
            target += Math.Min(Math.Max(target, FirstSize), MaxGrowthStep);
        }
        var zeros = new byte[Math.Min(target - _allocated, MaxGrowthStep)];
        for (var at = _allocated; at < target; at += zeros.Length)
        {
            RandomAccess.Write(_file, zeros.AsSpan(0, (int)Math.Min(zeros.Length, target - at)), at);
        }
        _allocated = target;
    }

    private void FlushData()
    {
        if (FileSystemCalls.FlushData((int)_file.DangerousGetHandle()) != 0)
        {
            throw new IOException($"Could not flush the journal (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    private static int PayloadSize(JournalRecord record) =>
        8 + 8 + 1 + 2 + Encoding.UTF8.GetByteCount(record.Path) + 1 + (record.Before is null ? 0 : HashSize) + 4 + record.Image.Length;

    private static void WritePayload(Span<byte> payload, JournalRecord record, ulong generation, ulong sequence)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(payload, generation);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[8..], sequence);
        payload[16] = (byte)record.Operation;
        var pathLength = Encoding.UTF8.GetBytes(record.Path, payload[19..]);
        BinaryPrimitives.WriteUInt16LittleEndian(payload[17..], checked((ushort)pathLength));
        var at = 19 + pathLength;
        payload[at++] = record.Before is null ? (byte)0 : (byte)1;
        if (record.Before is { } before)
        {
            before.CopyTo(payload[at..]);
            at += HashSize;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(payload[at..], (uint)record.Image.Length);
        record.Image.CopyTo(payload[(at + 4)..]);
    }

    private static bool TryParse(byte[] payload, ulong generation, ulong sequence, out JournalRecord record)
    {
        record = null!;
        var span = payload.AsSpan();
        if (BinaryPrimitives.ReadUInt64LittleEndian(span) != generation
            || BinaryPrimitives.ReadUInt64LittleEndian(span[8..]) != sequence
            || span[16] > (byte)JournalOperation.CreateIfAbsent)
        {
            return false;
        }
        var pathLength = BinaryPrimitives.ReadUInt16LittleEndian(span[17..]);
        var at = 19 + pathLength;
        if (at + 1 > span.Length)
        {
            return false;
        }
        var path = Encoding.UTF8.GetString(span.Slice(19, pathLength));
        byte[]? before = null;
        if (span[at++] == 1)
        {
            if (at + HashSize > span.Length)
            {
                return false;
            }
            before = span.Slice(at, HashSize).ToArray();
            at += HashSize;
        }
        if (at + 4 > span.Length || BinaryPrimitives.ReadUInt32LittleEndian(span[at..]) != span.Length - at - 4)
        {
            return false;
        }
        record = new JournalRecord((JournalOperation)span[16], path, before, span[(at + 4)..].ToArray());
        return true;
    }

    /// <summary>CRC-32C (Castagnoli) with the CPU's instruction where there is one.</summary>
    internal static uint Crc32C(uint seed, ReadOnlySpan<byte> bytes)
    {
        var crc = ~seed;
        while (bytes.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
            bytes = bytes[8..];
        }
        foreach (var b in bytes)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return ~crc;
    }
}
