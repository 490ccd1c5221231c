using System.Text;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Tests.Configuration;

/// <summary>The line of a key that an options validator names: the key's own line, else its nearest parent's in the file.</summary>
public sealed class ConfigDocumentTests
{
    private static readonly ConfigDocument s_document = ConfigDocument.Parse(Encoding.UTF8.GetBytes("""
        {
          "EdgeGateway": {
            "Cells": [
              { "Id": "a" },
              {
                "Id": "b"
              }
            ]
          },
          "Agent": {
            "Mqtt": {
              "port": 70000
            }
          }
        }
        """), "edgegw.json");

    [Theory]
    [InlineData("Agent.Mqtt.Port", 12)] // keys match in any case
    [InlineData("Agent.Mqtt.Host", 11)] // absent: the line of its parent
    [InlineData("Agent.Outbox.Directory", 10)]
    [InlineData("Ingest.Mqtt", 1)]
    [InlineData("EdgeGateway.Cells[1].Id", 6)]
    [InlineData("EdgeGateway.Cells[1]", 5)]
    [InlineData("EdgeGateway.Cells[7].Id", 3)] // no such item: the array's line
    [InlineData("", 1)]
    public void LineOf_IsTheKeysLine_OrItsNearestParents(string path, int line) => Assert.Equal(line, s_document.LineOf(path));

    [Fact]
    public void ProblemsOfEveryReader_HaveTheKeyPathApart()
    {
        var problems = new List<InputException>();
        var root = s_document.Root(problems);

        root.Child("Agent")!.Child("Mqtt")!.Number("Port", required: true, min: 1, exclusiveMin: false, max: 65535);

        var problem = ConfigProblem.Of(Assert.Single(problems));
        Assert.Equal(new ConfigProblem("edgegw.json", 12, "Agent.Mqtt.Port", "70000 is out of range: must be at least 1 and at most 65535"), problem);
        Assert.Equal("edgegw.json:12: Agent.Mqtt.Port: 70000 is out of range: must be at least 1 and at most 65535", problem.ToString());
    }

    [Theory]
    [InlineData("Agent:Mqtt:Port must be between 1 and 65535", "edgegw.json:12: Agent.Mqtt.Port: must be between 1 and 65535")]
    [InlineData("Agent:Mqtt:Hots: unknown key", "edgegw.json:11: Agent.Mqtt.Hots: unknown key")]
    [InlineData("Agent:Mqtt:MaxUnconfirmed (10) must be at least Agent:Mqtt:MaxInFlight (32)", "edgegw.json:11: Agent.Mqtt.MaxUnconfirmed: (10) must be at least Agent.Mqtt.MaxInFlight (32)")]
    [InlineData("Agent:TracePath is required when Agent:Source is Trace", "edgegw.json:10: Agent.TracePath: is required when Agent.Source is Trace")]
    [InlineData("Agent:Mqtt:ClientCertFile and Agent:Mqtt:ClientKeyFile go together", "edgegw.json:11: Agent.Mqtt.ClientCertFile: Agent.Mqtt.ClientCertFile and Agent.Mqtt.ClientKeyFile go together")]
    [InlineData("Agent:Mqtt:KeepAlive must be between 00:00:01 and 18:12:15", "edgegw.json:11: Agent.Mqtt.KeepAlive: must be between 00:00:01 and 18:12:15")]
    [InlineData("Failed to convert configuration value at 'Agent:Mqtt:Port'", "edgegw.json:10: Agent: Failed to convert configuration value at 'Agent.Mqtt.Port'")]
    public void OptionsProblems_AreSaidByDottedKey_AtTheKeysLine(string problem, string line) =>
        Assert.Equal(line, s_document.OptionsProblem("Agent", problem).ToString());
}
