using System.Text;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.TestSupport;
using TutorClaw.Mcp.Webhooks;

namespace TutorClaw.Mcp.Tests.Webhooks;

public sealed class StripeSignatureVerifierTests
{
    private const string Secret = "whsec_fake_unit_tests_current_0001";
    private const string OldSecret = "whsec_fake_unit_tests_previous_0001";
    private const long Now = 1_795_168_800;

    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_fake_0001","object":"event","data":{"name":"Zoë 李"}}""");

    private static StripeSignatureVerifier Verifier(long now = Now, params string[] secrets) =>
        new(Options.Create(new StripeOptions { WebhookSecrets = secrets.Length == 0 ? [Secret] : secrets }), ManualClock.AtUnixSeconds(now));

    private static string V1(string secret = Secret, long t = Now, byte[]? body = null) =>
        StripeSignatureHeader.Signature(secret, t, body ?? Body);

    [Fact]
    public void Header_made_by_the_test_signer_verifies()
    {
        var header = StripeSignatureHeader.Sign(Secret, Now, Body);

        var result = Verifier().Verify(Body, header, out _);

        Assert.Equal(StripeSignatureStatus.Valid, result.Status);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Flipping_one_body_byte_breaks_the_signature()
    {
        var header = StripeSignatureHeader.Sign(Secret, Now, Body);
        var tampered = (byte[])Body.Clone();
        tampered[10] ^= 0x01;

        var result = Verifier().Verify(tampered, header, out _);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
    }

    [Fact]
    public void Same_length_signature_differing_in_one_hex_digit_does_not_match()
    {
        var good = V1();
        var wrong = good[..^1] + (good[^1] == '0' ? '1' : '0');
        Assert.Equal(good.Length, wrong.Length);

        var result = Verifier().Verify(Body, $"t={Now},v1={wrong}", out _);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    public void Signature_of_another_length_does_not_match(int length)
    {
        var v1 = (V1() + "0")[..length];

        var result = Verifier().Verify(Body, $"t={Now},v1={v1}", out _);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
    }

    [Fact]
    public void Uppercase_hex_of_the_right_signature_does_not_match()
    {
        var result = Verifier().Verify(Body, $"t={Now},v1={V1().ToUpperInvariant()}", out _);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
    }

    [Fact]
    public void Non_ascii_characters_whose_low_byte_is_the_right_hex_digit_do_not_match()
    {
        // U+0161 'š' narrows to 0x61 'a', and so on: a comparison that truncated chars to bytes would accept this.
        var aliased = string.Concat(V1().Select(ch => (char)(ch + 0x100)));

        var result = Verifier().Verify(Body, $"t={Now},v1={aliased}", out _);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
    }

    [Fact]
    public void Any_v1_may_match_and_unknown_items_are_ignored()
    {
        // An item without "=" is no longer ignored: Stripe.net refuses the whole header (see below).
        var header = $"t={Now},v0={V1()},v1={V1(OldSecret)},v2=whatever,v1={V1()}";

        var result = Verifier().Verify(Body, header, out _);

        Assert.Equal(StripeSignatureStatus.Valid, result.Status);
    }

    [Fact]
    public void Duplicate_t_reads_the_first_as_stripe_net_does()
    {
        var result = Verifier().Verify(Body, $"t={Now},t={Now + 1},v1={V1()}", out _);

        Assert.Equal(StripeSignatureStatus.Valid, result.Status);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("-1795168800")]
    [InlineData(" 1795168800x")]
    [InlineData("1795168800.5")]
    [InlineData("99999999999999999999")]
    public void A_t_other_than_the_signed_one_does_not_match(string t)
    {
        var result = Verifier().Verify(Body, $"t={t},v1={V1()}", out _);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1795168800.5")]
    [InlineData("99999999999999999999")]
    public void A_signed_t_that_is_not_a_whole_number_of_seconds_is_malformed(string t)
    {
        // Signed over "{t}." + body exactly as the header says, so only the number is wrong.
        var v1 = global::Stripe.EventUtility.ComputeSignature(Secret, t, Encoding.UTF8.GetString(Body));

        var result = Verifier().Verify(Body, $"t={t},v1={v1}", out _);

        Assert.Equal(StripeSignatureStatus.Malformed, result.Status);
    }

    [Fact]
    public void Missing_t_does_not_match()
    {
        var result = Verifier().Verify(Body, $"v1={V1()}", out _);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
    }

    [Fact]
    public void Header_with_only_a_correct_v0_does_not_match()
    {
        var result = Verifier().Verify(Body, $"t={Now},v0={V1()}", out _);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
    }

    [Fact]
    public void An_item_without_an_equals_sign_does_not_match()
    {
        var result = Verifier().Verify(Body, $"t={Now},v1={V1()},garbage", out _);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
    }

    [Fact]
    public void Spaces_after_commas_are_trimmed_as_stripe_net_does()
    {
        // Changed with Stripe.net: our own verifier did not trim (stripe-node's reading). Stripe never sends spaces.
        var result = Verifier().Verify(Body, $"t={Now}, v1={V1()}", out _);

        Assert.Equal(StripeSignatureStatus.Valid, result.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_or_empty_header_is_reported_as_missing(string? header)
    {
        var result = Verifier().Verify(Body, header, out _);

        Assert.Equal(StripeSignatureStatus.MissingHeader, result.Status);
    }

    [Fact]
    public void Empty_body_is_refused_even_with_a_signature_made_for_it()
    {
        var header = StripeSignatureHeader.Sign(Secret, Now, []);

        var result = Verifier().Verify([], header, out _);

        Assert.Equal(StripeSignatureStatus.EmptyBody, result.Status);
    }

    [Fact]
    public void Without_a_configured_secret_nothing_verifies()
    {
        var verifier = new StripeSignatureVerifier(Options.Create(new StripeOptions()), ManualClock.AtUnixSeconds(Now));

        var result = verifier.Verify(Body, StripeSignatureHeader.Sign(Secret, Now, Body), out _);

        Assert.Equal(StripeSignatureStatus.NoSecretConfigured, result.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_explicit_secret_counts_as_none(string blank)
    {
        var result = StripeSignatureVerifier.Verify(
            Body, StripeSignatureHeader.Sign(blank, Now, Body), [blank], DateTimeOffset.FromUnixTimeSeconds(Now), StripeSignatureVerifier.Tolerance, out _);

        Assert.Equal(StripeSignatureStatus.NoSecretConfigured, result.Status);
    }

    [Theory]
    [InlineData(OldSecret)]
    [InlineData(Secret)]
    public void During_rotation_a_delivery_signed_with_either_configured_secret_verifies(string signingSecret)
    {
        var verifier = Verifier(Now, OldSecret, Secret);

        var result = verifier.Verify(Body, StripeSignatureHeader.Sign(signingSecret, Now, Body), out _);

        Assert.Equal(StripeSignatureStatus.Valid, result.Status);
    }

    [Fact]
    public void During_rotation_a_delivery_signed_with_an_unconfigured_secret_fails()
    {
        var verifier = Verifier(Now, OldSecret, Secret);

        var result = verifier.Verify(Body, StripeSignatureHeader.Sign("whsec_fake_unit_tests_someone_else", Now, Body), out _);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
    }

    [Theory]
    [InlineData(-300, StripeSignatureStatus.Valid)]
    [InlineData(-301, StripeSignatureStatus.TimestampOutsideTolerance)]
    [InlineData(300, StripeSignatureStatus.Valid)]
    [InlineData(301, StripeSignatureStatus.TimestampOutsideTolerance)]
    [InlineData(0, StripeSignatureStatus.Valid)]
    public void Tolerance_is_300_seconds_either_side_of_the_clock(long signedRelativeToNow, StripeSignatureStatus expected)
    {
        var t = Now + signedRelativeToNow;

        var result = Verifier().Verify(Body, StripeSignatureHeader.Sign(Secret, t, Body), out _);

        Assert.Equal(expected, result.Status);
    }

    [Fact]
    public void Timestamp_is_only_judged_for_an_authentic_signature()
    {
        var stale = Now - 3600;

        var result = Verifier().Verify(Body, StripeSignatureHeader.Sign("whsec_fake_unit_tests_someone_else", stale, Body), out _);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
    }

    [Fact]
    public void A_body_that_is_not_utf8_is_refused_even_when_signed()
    {
        // Stripe.net signs the UTF-8 bytes of a string, so such a body cannot be what Stripe sent;
        // our own verifier used to accept it and leave the refusal to the parser.
        byte[] notUtf8 = [0x7B, 0xFF, 0xFE, 0xC3, 0x28, 0x7D];

        var result = Verifier().Verify(notUtf8, StripeSignatureHeader.Sign(Secret, Now, notUtf8), out var json);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
        Assert.Null(json);
    }

    [Fact]
    public void A_valid_body_comes_back_as_the_same_text()
    {
        var result = Verifier().Verify(Body, StripeSignatureHeader.Sign(Secret, Now, Body), out var json);

        Assert.True(result.IsValid);
        Assert.Equal(Body, Encoding.UTF8.GetBytes(json!));
    }

    [Fact]
    public void Reason_never_echoes_the_header_or_the_expected_signature()
    {
        var sent = V1(OldSecret);
        var expected = V1();

        var result = Verifier().Verify(Body, $"t={Now},v1={sent}", out _);

        Assert.Equal(StripeSignatureStatus.NoMatchingSignature, result.Status);
        Assert.DoesNotContain(sent, result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(expected, result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Now.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_status_has_its_own_reason()
    {
        var reasons = Enum.GetValues<StripeSignatureStatus>().Select(s => new StripeSignatureResult(s).Reason).ToList();

        Assert.Equal(reasons.Count, reasons.Distinct().Count());
    }
}
