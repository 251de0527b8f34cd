namespace TutorClaw.Mcp.Learners;

/// <summary>
/// The store could not be reached or did not answer (a database that is down, restarting or
/// refusing connections); nothing was stored. It is an <see cref="IOException"/> on purpose: the
/// edges already treat a failing store that way (the webhook answers 500 so Stripe redelivers, a
/// tool answers its one storage sentence), whichever store runs. The message names the store's
/// location, never a password.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception innerException) : IOException(message, innerException);
