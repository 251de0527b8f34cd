using System.Diagnostics.CodeAnalysis;

namespace TutorClaw.Mcp.Stripe;

/// <summary>Either a value or a failure; callers must look at which.</summary>
public sealed class StripeResult<T>
    where T : class
{
    private StripeResult(T? value, StripeFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public StripeFailure? Failure { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsSuccess => Failure is null;

    public static StripeResult<T> Ok(T value) => new(value, null);

    public static StripeResult<T> Fail(StripeFailure failure) => new(null, failure);
}
