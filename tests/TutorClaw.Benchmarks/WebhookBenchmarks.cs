using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.TestSupport;
using TutorClaw.Mcp.Webhooks;

namespace TutorClaw.Benchmarks;

/// <summary>
/// The CPU work of one POST /webhook before it touches the disk: checking Stripe-Signature over the
/// raw body (Stripe.net's EventUtility), then reading the event (Stripe.net's parser plus our translation). The body is Stripe's checkout.session.completed (about 3.6 KB).
/// </summary>
[Config(typeof(ShortRunConfig))]
public class WebhookBenchmarks
{
    private const string Secret = "whsec_benchmark_not_a_real_secret_0123456789";

    private byte[] _body = [];
    private string _header = "";
    private string _json = "";
    private StripeSignatureVerifier _verifier = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = SharedStripeData.ReadBytes("events/checkout.session.completed.json");
        var now = DateTimeOffset.UtcNow;
        _header = StripeSignatureHeader.Sign(Secret, now.ToUnixTimeSeconds(), _body);
        _verifier = new StripeSignatureVerifier(Options.Create(new StripeOptions { WebhookSecrets = [Secret] }), new ManualClock(now));
        if (!_verifier.Verify(_body, _header, out var json).IsValid || StripeEventTranslator.Parse(json!) is not ParsedEvent.Handled)
        {
            throw new InvalidOperationException("The benchmark's event does not verify or parse.");
        }
        _json = json!;
    }

    [Benchmark]
    public bool VerifySignature() => _verifier.Verify(_body, _header, out _).IsValid;

    [Benchmark]
    public ParsedEvent ParseEvent() => StripeEventTranslator.Parse(_json);
}
