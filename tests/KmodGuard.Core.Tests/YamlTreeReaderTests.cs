using KmodGuard.Core.Policy;

namespace KmodGuard.Core.Tests;

/// <summary>Inputs on which YamlDotNet throws something other than a YamlException: still a located error.</summary>
public class YamlTreeReaderTests
{
    [Theory]
    [InlineData("\n  otlp_headers: {\n  mode: telemetry:")]
    [InlineData("...\t\n0x10audit:null>\n  path: : ...audit:999999999999>!!str *a!!str [,")]
    public void Malformed_documents_the_parser_trips_over_are_located_errors(string document)
    {
        PolicyLoadException e = Assert.Throws<PolicyLoadException>(() => PolicyLoader.Load(document, "p.yaml"));
        PolicyError error = Assert.Single(e.Errors);
        Assert.StartsWith("YAML syntax error", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 1 && error.Column >= 1);
    }
}
