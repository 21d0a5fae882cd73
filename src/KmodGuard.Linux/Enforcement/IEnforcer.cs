using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Enforcement;

/// <summary>Acts on a decision: returns it with <see cref="Decision.Action"/> (and <see cref="Decision.ActionError"/>) set to what was done.</summary>
internal interface IEnforcer
{
    Decision Enforce(ModuleActivity activity, Decision decision);
}
