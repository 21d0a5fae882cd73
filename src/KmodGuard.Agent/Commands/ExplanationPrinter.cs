using System.Text.Encodings.Web;
using System.Text.Json;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Core.Policy.Explain;
using KmodGuard.Core.Telemetry;

namespace KmodGuard.Agent.Commands;

/// <summary>Prints a <see cref="PolicyExplanation"/> for people (aligned text) or scripts (JSON).</summary>
internal static class ExplanationPrinter
{
    public static void WriteText(TextWriter o, CompiledPolicy policy, PolicyExplanation e)
    {
        foreach (RuleExplanation rule in e.Rules)
        {
            o.WriteLine($"rule {rule.RuleId} ({Words.Of(rule.Action)}): {(rule.Matched ? "MATCH" : "no match")}");
            WriteConditions(o, "when", rule.When);
            WriteConditions(o, "unless", rule.Unless);
        }

        int untried = policy.Rules.Count - e.Rules.Count;
        if (untried > 0)
        {
            o.WriteLine($"({untried} later rule{(untried == 1 ? "" : "s")} not tried: the first match wins)");
        }

        o.WriteLine(e.MatchedRuleId is null
            ? $"=> {Words.Of(e.Verdict)} (no rule matched; policy default), mode {Words.Of(policy.Mode)}"
            : $"=> {Words.Of(e.Verdict)} by rule {e.MatchedRuleId}, mode {Words.Of(policy.Mode)}");
    }

    private static void WriteConditions(TextWriter o, string section, IReadOnlyList<ConditionExplanation> conditions)
    {
        foreach (ConditionExplanation c in conditions)
        {
            string expected = string.Join(", ", c.Expected);
            o.WriteLine($"  {section,-6} {c.Key,-26} {(c.Holds ? "yes" : "no "),-4} actual: {(c.Actual is null ? "(unknown)" : DecisionSentence.Printable(c.Actual))}; expected any of: {expected}");
        }
    }

    public static void WriteJson(TextWriter o, PolicyExplanation e)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("verdict", Words.Of(e.Verdict));
            if (e.MatchedRuleId is null)
            {
                w.WriteNull("rule");
            }
            else
            {
                w.WriteString("rule", e.MatchedRuleId);
            }

            w.WriteStartArray("tried");
            foreach (RuleExplanation rule in e.Rules)
            {
                w.WriteStartObject();
                w.WriteString("id", rule.RuleId);
                w.WriteString("action", Words.Of(rule.Action));
                w.WriteBoolean("matched", rule.Matched);
                Conditions(w, "when", rule.When);
                Conditions(w, "unless", rule.Unless);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        o.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void Conditions(Utf8JsonWriter w, string name, IReadOnlyList<ConditionExplanation> conditions)
    {
        w.WriteStartArray(name);
        foreach (ConditionExplanation c in conditions)
        {
            w.WriteStartObject();
            w.WriteString("key", c.Key);
            w.WriteBoolean("holds", c.Holds);
            if (c.Actual is null)
            {
                w.WriteNull("actual");
            }
            else
            {
                w.WriteString("actual", c.Actual);
            }

            w.WriteStartArray("expected");
            foreach (string v in c.Expected)
            {
                w.WriteStringValue(v);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
