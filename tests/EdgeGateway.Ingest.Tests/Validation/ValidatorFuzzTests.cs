using CsCheck;
using EdgeGateway.Ingest.Tests.Fixtures;
using EdgeGateway.Ingest.Validation;

namespace EdgeGateway.Ingest.Tests.Validation;

/// <summary>10 000 malformed messages: every one is rejected with a reason of a fitting class, and nothing throws.</summary>
public sealed class ValidatorFuzzTests
{
    private const int Messages = 10_000;

    [Fact]
    public void MalformedMessages_AreAllRejected_WithAReason_AndNothingThrows()
    {
        var validator = new MessageValidator(Payloads.Prefix, Payloads.MaxBytes);
        var perMutation = new int[Malformed.Mutations.Length];
        var total = 0;

        Malformed.Gen.Sample(message =>
        {
            var result = validator.Validate(message.Topic, message.Payload, message.Size, 1_774_900_000_000);

            Assert.True(result.IsRejected, $"accepted or ignored: {message}");
            Assert.False(string.IsNullOrWhiteSpace(result.Rejection.Reason));
            Assert.Contains(result.Rejection.Kind, message.Expected);
            Interlocked.Increment(ref perMutation[Array.IndexOf(Malformed.Mutations, message.Mutation.Split(" (")[0])]);
            Interlocked.Increment(ref total);
        }, iter: Messages);

        Assert.Equal(Messages, total);
        Assert.All(perMutation, count => Assert.True(count > Messages / Malformed.Mutations.Length / 2, $"a mutation ran only {count} times"));
    }

    [Fact]
    public void TheBases_OfTheMutations_AreValid()
    {
        var validator = new MessageValidator(Payloads.Prefix, Payloads.MaxBytes);

        foreach (var (topic, json) in Malformed.Bases)
        {
            var payload = Payloads.Bytes(json);
            var result = validator.Validate(topic, payload, payload.Length, 1_774_900_000_000);
            Assert.True(result.Record is not null, $"{topic}: {result.Rejection.Reason}");
        }
    }
}
