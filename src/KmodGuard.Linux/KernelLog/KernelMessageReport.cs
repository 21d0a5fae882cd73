namespace KmodGuard.Linux.KernelLog;

/// <summary>
/// A kernel module message that was not attached when its activity was decided: either it arrived after the decision
/// (<see cref="ActivityId"/> names the activity, for an update record) or no activity matched at all (null: a load
/// the audit rules did not see, itself a finding).
/// </summary>
internal sealed record KernelMessageReport(KernelModuleMessage Message, string? ActivityId);
