using System.Text.Json;
using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Core.Payload;

/// <summary>How a KPI payload field is written, checked and stored.</summary>
public enum KpiFieldType
{
    /// <summary>A count: a JSON integer, an InfluxDB integer.</summary>
    WholeNumber,

    /// <summary>A number that is always there.</summary>
    Number,

    /// <summary>A number, or null when undefined (a ratio over zero); no column value when null.</summary>
    NullableNumber,

    /// <summary>One of <see cref="KpiField.Choices"/>: a JSON string, an InfluxDB string.</summary>
    Choice,
}

/// <summary>A field's value in a record: counts as whole numbers, a choice as its index in <see cref="KpiField.Choices"/>.</summary>
public delegate double? KpiFieldValue(in WindowRecord record);

/// <summary>
/// One measured field of the KPI payload, defined once (<see cref="KpiFields"/>): where it sits in the payload, what it
/// may hold, which record value it carries and which InfluxDB column holds it. The agent's writer, the ingest's reader
/// and point builder, and the schema all follow it.
/// </summary>
public sealed class KpiField
{
    internal KpiField(string parent, string name, KpiFieldType type, KpiFieldValue value)
    {
        Parent = parent;
        Name = name;
        Type = type;
        Value = value;
        Column = name;
        EncodedName = JsonEncodedText.Encode(name);
    }

    /// <summary>The object the field sits in (<c>counts</c>, <c>kpi</c>, …); empty at the top level.</summary>
    public string Parent { get; }

    /// <summary>The field's own name in its object.</summary>
    public string Name { get; }

    /// <summary>Dotted path, as problems name it: <c>counts.produced</c>.</summary>
    public string Path => Parent.Length == 0 ? Name : $"{Parent}.{Name}";

    /// <summary>The InfluxDB column (src/docs/influxdb-schema.md): the name unless two objects share it.</summary>
    public string Column { get; internal init; }

    public KpiFieldType Type { get; }

    /// <summary>Smallest value allowed (exclusive when <see cref="MinExclusive"/>).</summary>
    public double Min { get; internal init; }

    /// <summary>Largest value allowed; seconds within a window are also bounded by its length (<see cref="WithinWindow"/>).</summary>
    public double Max { get; internal init; } = KpiPayload.Large;

    /// <summary>Whether <see cref="Min"/> itself is refused (an ideal cycle time of 0 s).</summary>
    public bool MinExclusive { get; internal init; }

    /// <summary>Seconds of the window: at most its length, 1 ms of rounding allowed either way.</summary>
    public bool WithinWindow { get; internal init; }

    /// <summary>
    /// Added to the payload after v1 (src/docs/payloads-and-topics.md, "Adding a field"): a gateway not yet upgraded leaves
    /// it out, so the ingest stores a record without it (no column value) instead of refusing it.
    /// </summary>
    public bool Optional { get; internal init; }

    /// <summary>The names a <see cref="KpiFieldType.Choice"/> may take, indexed by its value.</summary>
    public IReadOnlyList<string> Choices { get; internal init; } = [];

    /// <summary>Reads the field's value from a record.</summary>
    public KpiFieldValue Value { get; }

    /// <summary>Position in <see cref="KpiFields.All"/>: the index of its value in a record read by the ingest.</summary>
    public int Index { get; internal set; }

    internal JsonEncodedText EncodedName { get; }

    internal JsonEncodedText[] EncodedChoices => field ??= EncodedNames.Of(Choices);

    /// <inheritdoc/>
    public override string ToString() => Path;
}
