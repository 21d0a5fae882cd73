using System.Collections.Concurrent;
using KmodGuard.Agent.Configuration;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;

namespace KmodGuard.Agent.Tests.Configuration;

/// <summary>Reloads with real files: edits in place, editors' write-and-rename, broken saves, deletions.</summary>
public sealed class PolicyReloaderTests : IDisposable
{
    private const string Monitor = "version: 1\nmode: monitor\ndefault: allow\nrules:\n  - id: a\n    action: deny\n";
    private const string Enforce = "version: 1\nmode: enforce\ndefault: allow\nrules:\n  - id: a\n    action: deny\n  - id: b\n    action: alert\n";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly TempDirectory _dir = new();
    private readonly BlockingCollection<PolicyReloadResult> _reports = [];
    private PolicyReloader? _reloader;

    public void Dispose()
    {
        _reloader?.Dispose();
        _dir.Dispose();
        _reports.Dispose();
    }

    private string PolicyPath => _dir.File("policy.yaml");

    /// <summary>Starts a reloader on <paramref name="initial"/> (null: no policy file yet), polling unless told not to.</summary>
    private PolicyHolder Running(string? initial, bool poll = true)
    {
        if (initial is not null)
        {
            _dir.Write("policy.yaml", initial);
        }

        var holder = new PolicyHolder(PolicyReloader.LoadInitial(PolicyPath, out _));
        _reloader = new PolicyReloader(holder, PolicyPath, poll ? Poll : null, _reports.Add);
        _reloader.Start();
        return holder;
    }

    private PolicyReloadResult Next()
    {
        Assert.True(_reports.TryTake(out PolicyReloadResult? r, TimeSpan.FromSeconds(10)), "no reload was reported within 10 s");
        return r!;
    }

    [Fact]
    public void Without_a_policy_file_the_embedded_default_applies_and_the_note_says_so()
    {
        CompiledPolicy p = PolicyReloader.LoadInitial(PolicyPath, out string note);
        Assert.Equal(DefaultPolicy.SourceName, p.Source);
        Assert.StartsWith($"no policy file at {PolicyPath}: using the embedded default policy (sha256 ", note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_policy_at_start_refuses_to_start()
    {
        _dir.Write("policy.yaml", "version: 1\nmode: sometimes\n");
        PolicyLoadException e = Assert.Throws<PolicyLoadException>(() => PolicyReloader.LoadInitial(PolicyPath, out _));
        Assert.StartsWith($"{PolicyPath}:2:7: 'mode' must be one of", e.Errors[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_edited_policy_is_swapped_in_and_logged_with_hash_and_rule_count()
    {
        PolicyHolder holder = Running(Monitor);
        CompiledPolicy before = holder.Current;
        File.WriteAllText(PolicyPath, Enforce);
        PolicyReloadResult r = Next();
        Assert.Equal(PolicyReloadOutcome.Swapped, r.Outcome);
        Assert.Equal(PolicyReloadTrigger.FileChanged, r.Trigger);
        Assert.Same(before, r.Replaced);
        Assert.Same(holder.Current, r.Current);
        Assert.Equal(2, holder.Current.Rules.Count);
        Assert.Matches($"^policy reloaded \\(file changed\\) from {PolicyPath}: sha256 [0-9a-f]{{16}}, 2 rules, mode enforce; replaced sha256 {before.Sha256[..16]}$", r.Message);
    }

    [Fact]
    public void An_editor_that_writes_a_new_file_and_renames_it_over_the_old_one_is_followed()
    {
        PolicyHolder holder = Running(Monitor);
        string swap = _dir.Write(".policy.yaml.swp", Enforce);
        File.Move(swap, PolicyPath, overwrite: true);
        Assert.Equal(PolicyReloadOutcome.Swapped, Next().Outcome);
        Assert.Equal(Core.Decisions.PolicyMode.Enforce, holder.Current.Mode);
    }

    [Fact]
    public void A_broken_save_keeps_the_running_policy_and_reports_located_errors()
    {
        PolicyHolder holder = Running(Monitor);
        CompiledPolicy running = holder.Current;
        File.WriteAllText(PolicyPath, Monitor + "  - id: b\n    action: explode\n");
        PolicyReloadResult r = Next();
        Assert.Equal(PolicyReloadOutcome.Rejected, r.Outcome);
        Assert.Same(running, holder.Current);
        Assert.Equal($"{PolicyPath}:8:13", $"{r.Errors[0].Source}:{r.Errors[0].Line}:{r.Errors[0].Column}");
        Assert.StartsWith("policy reload (file changed) rejected, keeping the running policy (sha256 ", r.Message, StringComparison.Ordinal);

        // Fixing the file brings the reload through.
        File.WriteAllText(PolicyPath, Enforce);
        Assert.Equal(PolicyReloadOutcome.Swapped, Next().Outcome);
    }

    [Fact]
    public void A_deleted_policy_file_keeps_the_running_policy()
    {
        PolicyHolder holder = Running(Monitor);
        CompiledPolicy running = holder.Current;
        File.Delete(PolicyPath);
        PolicyReloadResult r = Next();
        Assert.Equal(PolicyReloadOutcome.Rejected, r.Outcome);
        Assert.Contains("does not exist", r.Errors[0].Message, StringComparison.Ordinal);
        Assert.Same(running, holder.Current);
    }

    [Fact]
    public void A_policy_file_created_after_start_replaces_the_embedded_default()
    {
        PolicyHolder holder = Running(null);
        Assert.Equal(DefaultPolicy.SourceName, holder.Current.Source);
        _dir.Write("policy.yaml", Enforce);
        Assert.Equal(PolicyReloadOutcome.Swapped, Next().Outcome);
        Assert.Equal(PolicyPath, holder.Current.Source);
    }

    [Fact]
    public void Without_watching_only_a_reload_request_reads_the_file()
    {
        Running(Monitor, poll: false);
        File.WriteAllText(PolicyPath, Enforce);
        Assert.False(_reports.TryTake(out _, TimeSpan.FromMilliseconds(300)));
        _reloader!.RequestReload();
        PolicyReloadResult r = Next();
        Assert.Equal(PolicyReloadTrigger.Signal, r.Trigger);
        Assert.Equal(PolicyReloadOutcome.Swapped, r.Outcome);
    }

    [Fact]
    public void The_same_content_again_is_reported_unchanged_and_not_swapped()
    {
        _dir.Write("policy.yaml", Monitor);
        var holder = new PolicyHolder(PolicyReloader.LoadInitial(PolicyPath, out _));
        using var reloader = new PolicyReloader(holder, PolicyPath, null, _ => { });
        CompiledPolicy running = holder.Current;
        PolicyReloadResult r = reloader.Reload(PolicyReloadTrigger.Request);
        Assert.Equal(PolicyReloadOutcome.Unchanged, r.Outcome);
        Assert.Same(running, holder.Current);
    }

    [Fact]
    public async Task Readers_never_see_a_half_swapped_policy_while_reloads_run()
    {
        _dir.Write("policy.yaml", Monitor);
        var holder = new PolicyHolder(PolicyReloader.LoadInitial(PolicyPath, out _));
        using var reloader = new PolicyReloader(holder, PolicyPath, null, _ => { });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        Task reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                CompiledPolicy p = holder.Current;
                Assert.Equal(p.Mode == Core.Decisions.PolicyMode.Monitor ? 1 : 2, p.Rules.Count);
            }
        });
        for (int i = 0; !stop.IsCancellationRequested; i++)
        {
            File.WriteAllText(PolicyPath, i % 2 == 0 ? Enforce : Monitor);
            reloader.Reload(PolicyReloadTrigger.Request);
        }

        await reader;
    }
}
