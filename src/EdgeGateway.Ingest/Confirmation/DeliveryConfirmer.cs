using EdgeGateway.Core.Payload;
using EdgeGateway.Ingest.Status;
using EdgeGateway.Ingest.Subscription;
using EdgeGateway.Ingest.Validation;

namespace EdgeGateway.Ingest.Confirmation;

/// <summary>
/// Tells each gateway which of its records the backend now holds (src/docs/payloads-and-topics.md, "Delivery confirmations"): called once
/// the database accepted a batch's points, or once records were dead-lettered, with their senders; publishes one
/// confirmation per gateway (its sequence numbers as ranges) on <c>{ConfirmTopicPrefix}/{site}/{gateway}</c>. A
/// confirmation that cannot be published is not retried: the gateway sends the records again after its timeout, and
/// they are stored again idempotently and confirmed then.
/// </summary>
public sealed partial class DeliveryConfirmer(IBrokerPublisher publisher, string topicPrefix, IngestCounters counters, ILogger<DeliveryConfirmer> logger)
{
    /// <summary>Confirms the records of <paramref name="senders"/> to their gateways.</summary>
    public async Task ConfirmAsync(IEnumerable<RecordSender> senders, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(senders);
        var byGateway = new Dictionary<(string Site, string Gateway), List<long>>();
        foreach (var sender in senders)
        {
            var key = (sender.Site, sender.Gateway);
            if (!byGateway.TryGetValue(key, out var sequences))
            {
                byGateway[key] = sequences = [];
            }

            sequences.Add(sender.Seq);
        }

        foreach (var ((site, gateway), sequences) in byGateway)
        {
            var topic = TopicScheme.ConfirmationTopic(topicPrefix, site, gateway);
            foreach (var payload in DeliveryConfirmation.Write(site, gateway, sequences))
            {
                if (await publisher.PublishAsync(topic, payload, cancellationToken).ConfigureAwait(false))
                {
                    counters.Confirm(sequences.Count);
                }
                else
                {
                    Log.NotConfirmed(logger, topic, sequences.Count);
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 550, Level = LogLevel.Warning, Message = "Could not publish the confirmation of {Count} stored records on {Topic}; the gateway will send them again")]
        public static partial void NotConfirmed(ILogger logger, string topic, int count);
    }
}
