namespace TutorClaw.Mcp.Billing;

/// <summary>
/// Checkout session ids the success page found are not ours (Stripe does not know them, or they
/// name no learner registered here), remembered for a while so that reloading such a page, or
/// anyone replaying the id, does not make the server ask Stripe again. Bounded: at most
/// <see cref="Capacity"/> ids, each for <see cref="Lifetime"/>; when full, the oldest goes first.
/// </summary>
public sealed class ForeignSessionMemory(TimeProvider clock)
{
    public const int Capacity = 1024;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    public bool Contains(string sessionId)
    {
        lock (_lock)
        {
            return _until.TryGetValue(sessionId, out var until) && until > clock.GetUtcNow();
        }
    }

    public void Remember(string sessionId)
    {
        lock (_lock)
        {
            if (!_until.ContainsKey(sessionId))
            {
                while (_until.Count >= Capacity && _order.TryDequeue(out var oldest))
                {
                    _until.Remove(oldest);
                }
                _order.Enqueue(sessionId);
            }
            _until[sessionId] = clock.GetUtcNow() + Lifetime;
        }
    }
}
