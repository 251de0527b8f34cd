using Microsoft.Net.Http.Headers;

namespace TutorClaw.Mcp.Billing;

/// <summary>
/// What the learner's browser is told, page by page (SPEC §6). Each main sentence says where the
/// learner stands and what to do next, in words that can be read on a phone at a glance. No page
/// names a Stripe id other than the Checkout Session reference.
/// </summary>
public static class LearnerPages
{
    /// <summary>How often the "payment processing" page reloads itself (a plain meta refresh; no script).</summary>
    public static readonly TimeSpan PendingRefresh = TimeSpan.FromSeconds(30);

    public static LearnerPage Paid(string sessionReference) => new(
        StatusCodes.Status200OK,
        LearnerPageTone.Done,
        "Payment received",
        "You're on the paid tier — go back to WhatsApp.",
        "Every chapter is now open. Your tutor sees the change at once.",
        sessionReference);

    /// <summary>The stable link of a learner who is already on the paid tier: nothing to pay.</summary>
    public static LearnerPage AlreadyPaid() => new(
        StatusCodes.Status200OK,
        LearnerPageTone.Done,
        "Already paid",
        "You're on the paid tier — go back to WhatsApp.",
        "Every chapter is open; there is nothing more to pay. Go back to the chat and ask your tutor for the next chapter.");

    /// <summary>The stable link was opened for too many new payment pages in the last hour.</summary>
    public static LearnerPage TryLater() => new(
        StatusCodes.Status429TooManyRequests,
        LearnerPageTone.Waiting,
        "Please try again later",
        "Too many payment pages were opened for you in the last hour — please try again later.",
        "Nothing has changed and no payment was made. This same link works again within the hour.");

    /// <summary>Payments cannot be started just now (not set up, or Stripe did not answer).</summary>
    public static LearnerPage PaymentsUnavailable() => new(
        StatusCodes.Status503ServiceUnavailable,
        LearnerPageTone.Problem,
        "Payments unavailable",
        "Payments are not available right now — please try again later.",
        "Nothing has changed and no payment was made. This same link will work once payments are back.");

    public static LearnerPage Pending(string sessionReference) => new(
        StatusCodes.Status200OK,
        LearnerPageTone.Waiting,
        "Payment processing",
        "Your payment is on its way — go back to WhatsApp to keep learning.",
        "Bank payments can take a few days. Your chapters unlock as soon as it clears; this page checks again every "
            + (int)PendingRefresh.TotalSeconds + " seconds.",
        sessionReference,
        Refresh: PendingRefresh);

    /// <summary>Stripe could not be asked, or the session is not one we can place yet: the webhook will
    /// settle it.</summary>
    public static LearnerPage Confirming() => new(
        StatusCodes.Status200OK,
        LearnerPageTone.Neutral,
        "Thank you",
        "We are confirming your payment with Stripe — go back to WhatsApp to continue.",
        "Your chapters unlock within a minute of Stripe's confirmation. You can close this page.");

    public static LearnerPage NotCompleted(string sessionReference) => new(
        StatusCodes.Status200OK,
        LearnerPageTone.Problem,
        "Payment not finished",
        "This payment has not been completed.",
        "Nothing has changed. Go back to WhatsApp and ask the tutor for a new link if you still want to upgrade.",
        sessionReference);

    /// <summary>The learner left Stripe's page. <paramref name="upgradeLink"/>, when known, is the
    /// learner's stable payment link, offered as a button to try again.</summary>
    public static LearnerPage Cancelled(Uri? upgradeLink) => new(
        StatusCodes.Status200OK,
        LearnerPageTone.Neutral,
        "Payment cancelled",
        "No payment was made and nothing has changed.",
        upgradeLink is null
            ? "Go back to WhatsApp to keep learning, and ask the tutor for a new link whenever you are ready."
            : "Go back to WhatsApp to keep learning, or upgrade whenever you are ready.",
        Action: upgradeLink is null ? null : new LearnerPageLink(upgradeLink, "Upgrade now"));

    public static LearnerPage NotFound() => new(
        StatusCodes.Status404NotFound,
        LearnerPageTone.Problem,
        "Page not found",
        "This link does not lead anywhere.",
        "Check that it was copied whole, or go back to WhatsApp and ask the tutor for a new link.");

    /// <summary>A browser that asks for a page that does not exist gets <see cref="NotFound"/> instead
    /// of an empty 404. Only for GET or HEAD asking for HTML, and only when nothing else wrote a
    /// body: API clients (/mcp, /webhook) keep their answers byte for byte.</summary>
    public static IApplicationBuilder UseLearnerNotFoundPage(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            await next(context);
            var response = context.Response;
            if (response.StatusCode == StatusCodes.Status404NotFound
                && !response.HasStarted
                && response.ContentLength is null
                && string.IsNullOrEmpty(response.ContentType)
                && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                && AcceptsHtml(context.Request))
            {
                await NotFound().ExecuteAsync(context);
            }
        });

    private static bool AcceptsHtml(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(media => media.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
