using System.Security.Cryptography;
using System.Text.Json;

namespace TutorClaw.Mcp.TestSupport;

/// <summary>
/// Read-only access to the shared Stripe test data (<c>&lt;repo root&gt;/../shared/stripe</c>):
/// the signature vectors and the event files, read in place as exact bytes. Nothing here copies
/// or writes those files; their bytes are what the signatures cover.
/// </summary>
public static class SharedStripeData
{
    public const string SolutionFileName = "TutorClawMcp.sln";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly Lazy<VectorsDocument> Vectors = new(LoadVectors);

    /// <summary>The folder holding <see cref="SolutionFileName"/>, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot => Root.Value;

    public static string StripeDirectory => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "stripe"));

    public static string VectorsPath => Path.Combine(StripeDirectory, "signature-vectors.json");

    public static IReadOnlyList<SignatureCase> Cases => Vectors.Value.Cases;

    public static IReadOnlyList<EventFile> EventFiles => Vectors.Value.EventFiles;

    public static SignatureCase Case(string name) =>
        Cases.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"No signature vector named '{name}' in {VectorsPath}.", nameof(name));

    public static EventFile Event(string file) =>
        EventFiles.FirstOrDefault(e => e.File == file)
        ?? throw new ArgumentException($"No event_files entry for '{file}' in {VectorsPath}.", nameof(file));

    /// <summary>The exact bytes of a file under the shared stripe folder, e.g. <c>events/charge.refunded.json</c>.</summary>
    public static byte[] ReadBytes(string relativePath)
    {
        var path = Path.GetFullPath(Path.Combine(StripeDirectory, relativePath));
        if (!path.StartsWith(StripeDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' is outside {StripeDirectory}.", nameof(relativePath));
        }
        return File.ReadAllBytes(path);
    }

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException(
            $"No {SolutionFileName} found above {AppContext.BaseDirectory}; the shared Stripe data is located relative to it.");
    }

    private static VectorsDocument LoadVectors()
    {
        using var stream = File.OpenRead(VectorsPath);
        return JsonSerializer.Deserialize<VectorsDocument>(stream, JsonOptions)
            ?? throw new InvalidOperationException($"{VectorsPath} is empty.");
    }

    /// <summary>One entry of <c>cases[]</c>. <see cref="Expected"/> is stripe-node's answer.</summary>
    public sealed record SignatureCase(
        string Name,
        string? Secret,
        IReadOnlyList<string>? Secrets,
        string PayloadUtf8Base64,
        string PayloadUtf8Sha256,
        string? PayloadFile,
        long? Timestamp,
        string Header,
        long Now,
        int Tolerance,
        string Expected,
        string? LibrariesDisagree,
        string Why)
    {
        public bool ExpectedValid => Expected switch
        {
            "valid" => true,
            "invalid" => false,
            _ => throw new InvalidOperationException($"Case {Name}: unknown expected '{Expected}'."),
        };

        /// <summary><see cref="Secrets"/> when given (rotation cases), else the single <see cref="Secret"/>.</summary>
        public IReadOnlyList<string> AllSecrets => Secrets ?? [Secret ?? throw new InvalidOperationException($"Case {Name} has no secret.")];

        public DateTimeOffset NowInstant => DateTimeOffset.FromUnixTimeSeconds(Now);

        /// <summary>The body bytes: the event file read in place when the case names one, else the base64 bytes.</summary>
        public byte[] PayloadBytes() => PayloadFile is { } file ? ReadBytes(file) : Convert.FromBase64String(PayloadUtf8Base64);

        public override string ToString() => Name;
    }

    /// <summary>One entry of <c>event_files[]</c>: an event file and a header signed for its exact bytes.</summary>
    public sealed record EventFile(
        string File,
        string EventId,
        string Type,
        string Secret,
        long Timestamp,
        string Header,
        long Now,
        int Tolerance,
        string Expected,
        string PayloadUtf8Sha256,
        long PayloadBytes)
    {
        public DateTimeOffset NowInstant => DateTimeOffset.FromUnixTimeSeconds(Now);

        public byte[] ReadBytes() => SharedStripeData.ReadBytes(File);

        public override string ToString() => File;
    }

    private sealed record VectorsDocument(IReadOnlyList<SignatureCase> Cases, IReadOnlyList<EventFile> EventFiles);
}
