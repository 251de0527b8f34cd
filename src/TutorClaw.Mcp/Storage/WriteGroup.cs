namespace TutorClaw.Mcp.Storage;

/// <summary>
/// The writes of several branches of one operation that should share a commit. Each branch runs
/// with the group as its ambient context; the first write a branch makes is held back until every
/// branch has either made its first write or finished without one, and then all the held writes are
/// released together (<c>release</c> queues them as one unit, so they land in one batch). Later
/// writes of a branch are not held: they go to the committer as any write does.
/// <para>A branch must never wait for another branch (a lock another holds across its write, a
/// value another computes): its held write would wait for that branch and that branch for it.</para>
/// </summary>
internal sealed class WriteGroup<T>
{
    private static readonly AsyncLocal<Branch?> Current = new();

    private readonly Action<List<T>> _release;
    private readonly List<T> _held = [];
    private readonly object _gate = new();
    private int _branchesToArrive;

    public WriteGroup(int branches, Action<List<T>> release)
    {
        _branchesToArrive = branches;
        _release = release;
    }

    /// <summary>Runs one branch's work in this group. Call it once per branch given to the constructor.</summary>
    public async Task RunBranchAsync(Func<Task> work)
    {
        var branch = new Branch(this);
        // Seen by everything this work awaits or starts, and gone for the caller once this method yields.
        Current.Value = branch;
        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            branch.Arrive(default, hasWrite: false);
        }
    }

    /// <summary>Holds <paramref name="write"/> if the caller runs in a branch that has not written
    /// yet; false if not (the caller queues it itself).</summary>
    public static bool TryHold(T write) => Current.Value is { } branch && branch.Arrive(write, hasWrite: true);

    private sealed class Branch(WriteGroup<T> group)
    {
        private bool _arrived;

        /// <summary>The branch's first write, or its end; whether this call was the branch's arrival.</summary>
        public bool Arrive(T? write, bool hasWrite)
        {
            List<T>? released = null;
            lock (group._gate)
            {
                if (_arrived)
                {
                    return false;
                }
                _arrived = true;
                if (hasWrite)
                {
                    group._held.Add(write!);
                }
                if (--group._branchesToArrive == 0 && group._held.Count > 0)
                {
                    // Every branch has arrived: nothing is added to the list any more.
                    released = group._held;
                }
            }
            if (released is not null)
            {
                group._release(released);
            }
            return true;
        }
    }
}
