namespace TutorClaw.Mcp.Stripe;

/// <summary>Our requests as Stripe parameters, in the order stripe-node writes them
/// (shared/stripe/checkout-session-create.md), ready for <see cref="StripeFormEncoder"/>.</summary>
public static class StripeRequestParameters
{
    /// <summary>mode, line_items[0][price], line_items[0][quantity], success_url, cancel_url,
    /// client_reference_id, metadata[…], payment_intent_data[metadata][…]. The success URL goes as
    /// given: its <c>{CHECKOUT_SESSION_ID}</c> is Stripe's template, not ours to fill.</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> ForCheckoutSession(CheckoutSessionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        KeyValuePair<string, object?>[] lineItem = [new("price", request.PriceId), new("quantity", request.Quantity)];
        KeyValuePair<string, object?>[] paymentIntentData = [new("metadata", request.PaymentIntentMetadata)];
        return
        [
            new("mode", "payment"),
            new("line_items", new object[] { lineItem }),
            new("success_url", request.SuccessUrl),
            new("cancel_url", request.CancelUrl),
            new("client_reference_id", request.ClientReferenceId),
            new("metadata", request.Metadata),
            new("payment_intent_data", paymentIntentData),
        ];
    }

    /// <summary>types[n], created[gte], starting_after, limit (GET /v1/events query).</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> ForEventList(EventListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<KeyValuePair<string, object?>>();
        if (query.Types.Count > 0)
        {
            parameters.Add(new("types", query.Types));
        }
        if (query.CreatedAtOrAfter is { } after)
        {
            KeyValuePair<string, object?>[] created = [new("gte", after.ToUnixTimeSeconds())];
            parameters.Add(new("created", created));
        }
        if (!string.IsNullOrEmpty(query.StartingAfter))
        {
            parameters.Add(new("starting_after", query.StartingAfter));
        }
        parameters.Add(new("limit", query.Limit));
        return parameters;
    }
}
