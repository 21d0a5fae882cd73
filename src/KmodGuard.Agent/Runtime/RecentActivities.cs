using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Agent.Runtime;

/// <summary>The last activities decided and their decisions, by activity id, so late facts can update their record.</summary>
internal sealed class RecentActivities(int capacity = 1024)
{
    private readonly Dictionary<string, (ModuleActivity, Decision)> _byId = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    public void Remember(ModuleActivity activity, Decision decision)
    {
        if (activity.Id is not { } id)
        {
            return;
        }

        lock (_gate)
        {
            if (_byId.TryAdd(id, (activity, decision)))
            {
                _order.Enqueue(id);
                if (_order.Count > capacity)
                {
                    _byId.Remove(_order.Dequeue());
                }
            }
            else
            {
                _byId[id] = (activity, decision);
            }
        }
    }

    public bool TryGet(string id, out (ModuleActivity Activity, Decision Decision) entry)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out entry);
        }
    }
}
