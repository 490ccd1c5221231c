using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Tests.Configuration;

public sealed class ConfigArgumentTests
{
    [Fact]
    public void Split_TakesTheLastConfigOption_InEitherForm_AndKeepsTheRestInOrder()
    {
        var (path, others) = ConfigArgument.Split(["--Agent:Source=Simulator", "--config", "a.json", "-x", "--config=b.json", "y"], "env.json", "/etc/default.json");

        Assert.Equal("b.json", path);
        Assert.Equal(["--Agent:Source=Simulator", "-x", "y"], others);
    }

    [Theory]
    [InlineData("env.json", "env.json")]
    [InlineData("", "/etc/default.json")]
    [InlineData(null, "/etc/default.json")]
    public void Split_WithoutConfigOption_UsesTheEnvironmentThenTheDefault(string? fromEnvironment, string expected)
    {
        var (path, others) = ConfigArgument.Split(["--config"], fromEnvironment, "/etc/default.json");

        Assert.Equal(expected, path);
        // A trailing --config without a value is not an option of this split: the host's parser reports it.
        Assert.Equal(["--config"], others);
    }
}
