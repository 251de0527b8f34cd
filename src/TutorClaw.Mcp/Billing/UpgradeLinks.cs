using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// The learner's stable payment link, <c>&lt;TUTORCLAW_PUBLIC_URL&gt;/pay/&lt;token&gt;</c>: a link
/// that never dies, unlike a Checkout Session (24 hours at most). The token is 192 random bits in
/// base64url, says nothing about the learner, is stored in their document (indexed by the store)
/// and stays the same until an operator rotates it or revokes the learner.
/// </summary>
public sealed class UpgradeLinks(ILearnerRepository learners, IOptions<ServerOptions> server)
{
    private const int TokenBytes = 24;

    /// <summary>The length of every token: 24 bytes in unpadded base64url.</summary>
    public const int TokenLength = 32;

    /// <summary>Only a string that could be one of our tokens is worth a look in the store.</summary>
    public static bool IsToken(string? text) =>
        text is { Length: TokenLength } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The learner's token, made and stored the first time it is needed; null for no such learner.</summary>
    public async Task<string?> EnsureAsync(LearnerId id, CancellationToken cancellationToken)
    {
        var learner = await learners.UpdateAsync(
            id, l => l.UpgradeToken is null ? l with { UpgradeToken = NewToken() } : l, cancellationToken).ConfigureAwait(false);
        return learner?.UpgradeToken;
    }

    /// <summary>Replaces the learner's token: the old link finds nobody from now on. Null for no such learner.</summary>
    public async Task<string?> RotateAsync(LearnerId id, CancellationToken cancellationToken)
    {
        var learner = await learners.UpdateAsync(id, l => l with { UpgradeToken = NewToken() }, cancellationToken).ConfigureAwait(false);
        return learner?.UpgradeToken;
    }

    /// <summary>The link the learner is sent.</summary>
    public Uri PayUrl(string token) => new(PublicBase() + "/pay/" + token);

    /// <summary>Where Stripe sends a learner who leaves its page: the cancel page, told the token so it
    /// can offer the stable link again.</summary>
    public string CancelUrl(string token) => PublicBase() + "/checkout/cancel?link=" + token;

    private string PublicBase() => server.Value.PublicUrl.ToString().TrimEnd('/');

    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
}
