using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using TutorClaw.Mcp.IntegrationTests.Support;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.IntegrationTests.Reliability;

/// <summary>One hostile delivery: the kind of mutation (and its detail), the body, and the Stripe-Signature header (null: none sent).</summary>
public sealed record FuzzDelivery(string Mutation, byte[] Body, string? Header, string Detail = "")
{
    public override string ToString() =>
        $"{Mutation} {Detail}: {Body.Length} body bytes, header {(Header is null ? "(none)" : Header.Length > 120 ? Header[..120] + "…" : Header)}";
}

/// <summary>
/// FsCheck generators for /webhook deliveries, derived from the shared signature vectors and
/// event files. Sampled with a fixed seed (<see cref="Sample"/>), so every run sends the same cases.
/// </summary>
public static class WebhookFuzz
{
    private const string OtherSecret = "whsec_fake_not_this_servers_secret_0000";

    /// <summary>Every event file and every distinct vector payload: the bodies mutations start from.</summary>
    private static readonly byte[][] Bodies =
        SharedStripeData.EventFiles.Select(e => e.ReadBytes())
            .Concat(SharedStripeData.Cases.Select(c => c.PayloadBytes()))
            .Where(b => b.Length > 0)
            .DistinctBy(Convert.ToBase64String)
            .ToArray();

    private static readonly string[] EventFiles = SharedStripeData.EventFiles.Select(e => e.File).ToArray();

    /// <summary>Headers Stripe (or a vector) signed for other secrets, bodies and times.</summary>
    private static readonly string[] VectorHeaders =
        SharedStripeData.Cases.Select(c => c.Header).Concat(SharedStripeData.EventFiles.Select(e => e.Header)).Distinct().ToArray();

    public static IReadOnlyList<FuzzDelivery> Sample(Gen<FuzzDelivery> gen, ulong seed, int count) =>
        gen.Sample(count, new Rnd(seed), 100);

    /// <summary>
    /// Deliveries that must not verify with <paramref name="secret"/> at <paramref name="now"/>:
    /// a broken header, a body that is not the one signed, another secret, a stale or future
    /// timestamp, random bytes, or a body over the 1 MiB bound (signed or not).
    /// </summary>
    public static Gen<FuzzDelivery> Unverifiable(string secret, long now) =>
        from body in Gen.Elements(Bodies)
        from delivery in Gen.Frequency(
            (8, Gen.Elements(VectorHeaders).Select(h => new FuzzDelivery("header signed elsewhere (vector)", body, h))),
            (12, FlipHeaderChar(Sign(secret, now, body)).Select(h => new FuzzDelivery("header character changed", body, h))),
            (6, Gen.Choose(0, Sign(secret, now, body).Length - 1).Select(k => new FuzzDelivery("header truncated", body, Sign(secret, now, body)[..k]))),
            // A repeated t= after the real one, and spaces after commas, are no longer here: Stripe.net's
            // EventUtility reads the first t and trims items, so both verify (StripeSignatureVerifierTests).
            (4, Gen.Constant(new FuzzDelivery("upper-case header", body, Sign(secret, now, body).ToUpperInvariant()))),
            (4, Gen.Constant(new FuzzDelivery("v0 instead of v1", body, Sign(secret, now, body).Replace("v1=", "v0=", StringComparison.Ordinal)))),
            (6, Gen.Constant(new FuzzDelivery("another secret", body, Sign(OtherSecret, now, body)))),
            (6, Gen.Choose(301, 10_000_000).Two().Select(t => new FuzzDelivery("timestamp outside tolerance", body,
                Sign(secret, t.Item1 % 2 == 0 ? now - t.Item2 : now + t.Item2, body)))),
            (5, HugeHeader(now).Select(h => new FuzzDelivery("huge header of wrong v1 items", body, h))),
            (6, RandomText(0, 512).Select(h => new FuzzDelivery("random header", body, h))),
            (2, Gen.Elements<string?>(null, "", ",", "t=", "v1=", "=", "t=,v1=").Select(h => new FuzzDelivery("empty or skeletal header", body, h))),
            (12, FlipBodyBytes(body).Select(b => new FuzzDelivery("body bytes flipped", b, Sign(secret, now, body)))),
            (6, Gen.Choose(0, body.Length - 1).Select(k => new FuzzDelivery("body truncated", body[..k], Sign(secret, now, body)))),
            (4, RandomBytes(1, 64).Select(extra => new FuzzDelivery("body extended", [.. body, .. extra], Sign(secret, now, body)))),
            (5, RandomBytes(0, 4096).Select(b => new FuzzDelivery("random body", b, Sign(secret, now, body)))),
            (4, Gen.Elements(Bodies).Where(other => !other.AsSpan().SequenceEqual(body))
                .Select(other => new FuzzDelivery("header signed for another body", other, Sign(secret, now, body)))),
            (1, Gen.Choose(1, 4096).Select(extra => Oversized(body, extra)).Select(b => new FuzzDelivery("signed body over 1 MiB", b, Sign(secret, now, b)))))
        select delivery;

    /// <summary>
    /// Deliveries signed correctly (as if by Stripe, or by someone holding the secret) whose bodies
    /// are damaged or hostile: flipped bytes, truncation, random bytes, wrong JSON types, extreme
    /// numbers, path-like and huge ids, duplicate keys, deep nesting.
    /// </summary>
    public static Gen<FuzzDelivery> SignedGarbage(string secret, long now) =>
        from file in Gen.Elements(EventFiles)
        from mutated in Gen.Frequency(
            (3, FlipBodyBytes(EventBytes(file)).Select(b => ("signed, bytes flipped", "", b))),
            (2, Gen.Choose(0, EventBytes(file).Length - 1).Select(k => ("signed, truncated", "", EventBytes(file)[..k]))),
            (1, RandomBytes(1, 2048).Select(b => ("signed, random bytes", "", b))),
            (8, from field in Gen.Elements(HostileFields)
                from value in HostileValue()
                select ("signed, hostile field value", $"{field} = {Describe(value)}", WithField(file, field, value))),
            (1, Gen.Elements("id", "type", "created", "data").Select(key => ("signed, duplicate key", key, DuplicateKey(file, key)))),
            (1, Gen.Elements(100, 1_000, 10_000).Select(depth => ("signed, deep nesting", $"{depth} levels", DeeplyNested(file, depth)))))
        select new FuzzDelivery(mutated.Item1, mutated.Item3, Sign(secret, now, mutated.Item3), $"{mutated.Item2} [{file}]");

    /// <summary>The fields our parser reads (SPEC §5), as paths into the event.</summary>
    private static readonly string[] HostileFields =
    [
        "id", "type", "created", "api_version", "data", "data.object", "data.object.id", "data.object.object",
        "data.object.payment_status", "data.object.payment_intent", "data.object.client_reference_id",
        "data.object.metadata", "data.object.metadata.learner_id", "data.object.expires_at", "data.object.amount_total",
        "data.object.currency", "data.object.refunded", "data.object.amount_refunded", "data.object.charge", "data.object.status",
    ];

    private static Gen<JsonNode?> HostileValue() => Gen.OneOf(
        Gen.Elements<JsonNode?>(
            null, JsonValue.Create(long.MaxValue), JsonValue.Create(long.MinValue), JsonValue.Create(-1), JsonValue.Create(0),
            JsonValue.Create(253_402_300_800L), JsonValue.Create(-62_135_596_801L),
            JsonValue.Create(253_402_300_799L), JsonValue.Create(-62_135_596_800L), JsonValue.Create(1e300), JsonValue.Create(0.5),
            JsonValue.Create(true), JsonValue.Create(""), JsonValue.Create("../../../etc/passwd"), JsonValue.Create("a/b"),
            JsonValue.Create("..\\..\\x"), JsonValue.Create("lrn_\u0000nul"), JsonValue.Create("evt_ünïcødé_李"),
            JsonValue.Create("pi_../../x"), JsonValue.Create("learner_demo"), JsonValue.Create("evt_" + new string('a', 300)),
            new JsonArray(), new JsonArray(1, "x"), new JsonObject(), new JsonObject { ["id"] = 5 }),
        Gen.Choose(1, 200_000).Select(n => (JsonNode?)JsonValue.Create(new string('x', n))),
        Gen.Choose(int.MinValue, int.MaxValue).Select(n => (JsonNode?)JsonValue.Create(n)));

    private static string Describe(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > 40 ? $"{text[..40]}… ({text.Length} chars)" : text;
    }

    private static byte[] EventBytes(string file) => SharedStripeData.ReadBytes(file);

    private static byte[] WithField(string file, string path, JsonNode? value)
    {
        var root = JsonNode.Parse(EventBytes(file))!.AsObject();
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            if (parent[part] is not JsonObject child)
            {
                child = new JsonObject();
                parent[part] = child;
            }
            parent = child;
        }
        parent[parts[^1]] = value?.DeepClone();
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>The key written twice at the top level, the first time with a different value.</summary>
    private static byte[] DuplicateKey(string file, string key)
    {
        var text = Encoding.UTF8.GetString(EventBytes(file));
        var brace = text.IndexOf('{', StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text[..(brace + 1)] + $"\"{key}\": \"evt_duplicate_first\"," + text[(brace + 1)..]);
    }

    /// <summary>The event's metadata replaced by arrays nested <paramref name="depth"/> deep.</summary>
    private static byte[] DeeplyNested(string file, int depth)
    {
        var text = Encoding.UTF8.GetString(EventBytes(file));
        var at = text.IndexOf("\"livemode\"", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text[..at] + "\"nested\": " + new string('[', depth) + new string(']', depth) + ", " + text[at..]);
    }

    private static string Sign(string secret, long timestamp, byte[] body) => StripeSignatureHeader.Sign(secret, timestamp, body);

    private static Gen<string> FlipHeaderChar(string header) =>
        from position in Gen.Choose(0, header.Length - 1)
        from replacement in Gen.Choose(32, 126).Select(c => (char)c).Where(c => c != header[position])
        select header[..position] + replacement + header[(position + 1)..];

    private static Gen<byte[]> FlipBodyBytes(byte[] body) =>
        from flips in Gen.Choose(1, 8)
        from positions in Gen.ArrayOf(Gen.Choose(0, body.Length - 1), flips)
        from masks in Gen.ArrayOf(Gen.Choose(1, 255), flips)
        select Flip(body, positions, masks);

    private static byte[] Flip(byte[] body, int[] positions, int[] masks)
    {
        var copy = (byte[])body.Clone();
        for (var i = 0; i < positions.Length; i++)
        {
            copy[positions[i]] ^= (byte)masks[i];
        }
        // Two flips of one byte can cancel out; a body equal to the signed one is not hostile.
        if (copy.AsSpan().SequenceEqual(body))
        {
            copy[positions[0]] ^= 0x01;
        }
        return copy;
    }

    private static Gen<string> HugeHeader(long now) =>
        from count in Gen.Choose(100, 3_000)
        from signature in Gen.ArrayOf(Gen.Elements("0123456789abcdef".ToCharArray()), 64).Select(c => new string(c))
        select $"t={now.ToString(CultureInfo.InvariantCulture)}," + string.Join(',', Enumerable.Repeat("v1=" + signature, count));

    private static Gen<string> RandomText(int min, int max) =>
        from length in Gen.Choose(min, max)
        from chars in Gen.ArrayOf(Gen.Frequency((20, Gen.Choose(32, 126)), (1, Gen.Constant(9))).Select(c => (char)c), length)
        select new string(chars);

    private static Gen<byte[]> RandomBytes(int min, int max) =>
        from length in Gen.Choose(min, max)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
        select bytes;

    private static byte[] Oversized(byte[] body, int extra)
    {
        var big = new byte[TutorClaw.Mcp.Webhooks.WebhookBody.MaxBytes + extra];
        Array.Fill(big, (byte)' ');
        body.CopyTo(big, 0);
        return big;
    }
}
