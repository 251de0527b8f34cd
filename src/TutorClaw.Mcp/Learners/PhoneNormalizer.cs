using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PhoneNumbers;
using TutorClaw.Mcp.Hosting;

namespace TutorClaw.Mcp.Learners;

/// <summary>
/// The one phone normalizer: any way a learner or a messaging platform writes a number
/// (<c>+447700900999</c>, WhatsApp's <c>447700900999</c>, <c>0044 7700 900999</c>, Twilio's
/// <c>whatsapp:+447700900999</c>, a national <c>07700 900999</c> when TUTORCLAW_DEFAULT_REGION
/// says GB) becomes its E.164 form, and the index key is a digest of that.
/// </summary>
public sealed class PhoneNormalizer(IOptions<ServerOptions> options)
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly string[] Prefixes = ["whatsapp:", "tel:"];

    /// <summary>Whether libphonenumber knows <paramref name="region"/> (an ISO 3166 code such as GB).</summary>
    public static bool IsKnownRegion(string region) => Util.GetSupportedRegions().Contains(region);

    /// <summary>The index key: a digest of the E.164 number, so the index holds no phone numbers.</summary>
    public static string Key(string e164) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(e164)));

    /// <summary>The E.164 form (+ and digits), or null when the text is not a possible phone number.</summary>
    public string? ToE164(string phone) => ToE164(phone, options.Value.DefaultRegion);

    /// <summary>As <see cref="ToE164(string)"/>, for code without options (a document adopted by the
    /// store): <paramref name="defaultRegion"/> reads national formats, null reads none.</summary>
    public static string? ToE164(string phone, string? defaultRegion)
    {
        var text = phone.Trim();
        foreach (var prefix in Prefixes)
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                text = text[prefix.Length..].Trim();
                break;
            }
        }
        if (!IsPlainPhoneText(text))
        {
            return null;
        }
        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        if (text.StartsWith('+'))
        {
            return Possible("+" + digits, null);
        }
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            return Possible("+" + digits[2..], null);
        }
        // A national number in the operator's region, else an international number written
        // without its + (WhatsApp's own format).
        return (defaultRegion is { } region ? Possible(digits, region) : null)
            ?? Possible("+" + digits, null);
    }

    private static string? Possible(string text, string? region)
    {
        PhoneNumber number;
        try
        {
            number = Util.Parse(text, region ?? "ZZ");
        }
        catch (NumberParseException)
        {
            return null;
        }
        return Util.IsPossibleNumberWithReason(number) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE
            && Util.GetRegionCodeForCountryCode(number.CountryCode) != "ZZ"
            ? Util.Format(number, PhoneNumberFormat.E164)
            : null;
    }

    /// <summary>ASCII digits with spaces, dashes, dots and brackets, and at most one leading +.
    /// Letters (vanity numbers, "ext"), other scripts' digits and invisible characters are refused.</summary>
    private static bool IsPlainPhoneText(string text) =>
        text.Length is > 0 and <= 40
        && text.Any(char.IsAsciiDigit)
        && text.Select((c, i) => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '.' || (c == '+' && i == 0)).All(ok => ok);
}
