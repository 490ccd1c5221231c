using System.Security.Cryptography;
using EdgeGateway.Agent.Hosting;

namespace EdgeGateway.Agent.Tests.Hosting;

public sealed class ConfigSha256Tests
{
    [Fact]
    public void Empty_input_has_the_FIPS_180_4_digest() =>
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ConfigSha256.Hex([]));

    [Fact]
    public void Abc_has_the_FIPS_180_4_digest() =>
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ConfigSha256.Hex("abc"u8));

    [Fact]
    public void Every_length_around_the_block_boundaries_matches_the_platform_SHA256()
    {
        var random = new Random(7);
        for (var length = 0; length < 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), ConfigSha256.Hex(data));
        }
    }

    [Fact]
    public void A_config_sized_input_matches_the_platform_SHA256()
    {
        var data = new byte[70_001];
        new Random(8).NextBytes(data);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), ConfigSha256.Hex(data));
    }
}
