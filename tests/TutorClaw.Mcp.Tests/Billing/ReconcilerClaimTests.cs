using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using TutorClaw.Mcp.Billing;
using TutorClaw.Mcp.Hosting;
using TutorClaw.Mcp.Learners;
using TutorClaw.Mcp.Storage;
using TutorClaw.Mcp.Stripe;
using TutorClaw.Mcp.TestSupport;

namespace TutorClaw.Mcp.Tests.Billing;

/// <summary>A reconciliation run needs the store's one-run-at-a-time claim; without it the round is
/// skipped before anything is read from Stripe or the store.</summary>
public sealed class ReconcilerClaimTests
{
    [Fact]
    public async Task A_run_whose_claim_another_replica_holds_is_skipped_and_touches_nothing()
    {
        var stripe = new Mock<IStripeApi>(MockBehavior.Strict);
        var cursors = new Mock<IReconciliationCursorStore>(MockBehavior.Strict);
        cursors.Setup(c => c.TryClaimRunAsync(It.IsAny<CancellationToken>())).ReturnsAsync((IAsyncDisposable?)null);
        var unmatched = new Mock<IUnmatchedPaymentLog>(MockBehavior.Strict);
        var clock = new ManualClock();
        var applier = new PaymentEventApplier(
            new Mock<ILearnerRepository>(MockBehavior.Strict).Object,
            new Mock<IPaymentIntentIndex>(MockBehavior.Strict).Object,
            stripe.Object,
            unmatched.Object,
            new Mock<IStore>(MockBehavior.Strict).Object,
            Options.Create(new ServerOptions()),
            clock,
            NullLogger<PaymentEventApplier>.Instance);
        var reconciler = new Reconciler(
            stripe.Object,
            applier,
            Options.Create(new StripeOptions { SecretKey = "sk_test_fake", PaidPriceId = "price_fake" }),
            cursors.Object,
            clock,
            NullLogger<Reconciler>.Instance);

        var summary = await reconciler.RunAsync(since: null, onPage: null, CancellationToken.None);

        Assert.False(summary.Completed);
        Assert.Equal(Reconciler.AnotherRunHoldsTheStore, summary.Failure);
        cursors.Verify(c => c.TryClaimRunAsync(It.IsAny<CancellationToken>()), Times.Once);
        cursors.VerifyNoOtherCalls();
        stripe.VerifyNoOtherCalls();
    }
}
