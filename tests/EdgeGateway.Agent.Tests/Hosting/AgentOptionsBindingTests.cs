using EdgeGateway.Agent.Hosting;
using Microsoft.Extensions.Configuration;

namespace EdgeGateway.Agent.Tests.Hosting;

public sealed class AgentOptionsBindingTests
{
    [Fact]
    public void ConfiguredWindows_ReplaceTheDefault_NotAppendToIt()
    {
        var options = Bind(new Dictionary<string, string?> { ["Agent:Windows:0"] = "shift", ["Agent:Windows:1"] = "day" });

        Assert.Equal(["shift", "day"], options.EffectiveWindows);
    }

    [Fact]
    public void NoWindowsConfigured_PublishesMinuteShiftAndDay()
    {
        Assert.Equal(["1m", "shift", "day"], Bind([]).EffectiveWindows);
    }

    private static AgentOptions Bind(Dictionary<string, string?> values)
    {
        var options = new AgentOptions();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Agent").Bind(options);
        return options;
    }
}
