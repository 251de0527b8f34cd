using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.TestSupport;
using TutorClaw.Mcp.Webhooks;

namespace TutorClaw.Benchmarks;

/// <summary>
/// The CPU work of one POST /webhook before it touches the disk: checking Stripe-Signature over the
/// raw body, then reading the event. The body is Stripe's checkout.session.completed (about 3.6 KB).
/// </summary>
[Config(typeof(ShortRunConfig))]
public class WebhookBenchmarks
{
    private const string Secret = "whsec_benchmark_not_a_real_secret_0123456789";

    private byte[] _body = [];
    private string _header = "";
    private StripeSignatureVerifier _verifier = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = SharedStripeData.ReadBytes("events/checkout.session.completed.json");
        var now = DateTimeOffset.UtcNow;
        _header = StripeSignatureHeader.Sign(Secret, now.ToUnixTimeSeconds(), _body);
        _verifier = new StripeSignatureVerifier(Options.Create(new StripeOptions { WebhookSecrets = [Secret] }), new ManualClock(now));
        if (!_verifier.Verify(_body, _header).IsValid || StripeEventParser.Parse(_body) is not ParsedEvent.Handled)
        {
            throw new InvalidOperationException("The benchmark's event does not verify or parse.");
        }
    }

    [Benchmark]
    public bool VerifySignature() => _verifier.Verify(_body, _header).IsValid;

    [Benchmark]
    public ParsedEvent ParseEvent() => StripeEventParser.Parse(_body);
}
