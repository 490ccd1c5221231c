namespace EdgeGateway.Ingest.Validation;

/// <summary>Thrown only for invalid input, inside <see cref="MessageValidator.Validate"/>, which turns it into a rejection.</summary>
internal sealed class InvalidPayloadException(Rejection rejection) : Exception(rejection.Reason)
{
    public Rejection Rejection { get; } = rejection;
}
