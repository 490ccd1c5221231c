using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Traces;
using static EdgeGateway.Ingest.Validation.PayloadProblem;

namespace EdgeGateway.Ingest.Validation;

/// <summary>The limits of times and the ingest's clock when the message arrived.</summary>
internal readonly record struct PayloadClock(PlausibleTime Limits, long NowMs);

/// <summary>The fields of one JSON object: each read at most once, none unknown, none repeated.</summary>
/// <remarks>
/// An object's properties are listed as the document holds them, their names compared in place: copying them into a
/// dictionary, each name made a string and hashed, was most of the validator's time and of the 6.5 KB it allocated
/// per KPI message (src/docs/ingest.md, "Throughput"). <see cref="End"/> counts: when the object has as many
/// properties as distinct fields were read, none is unknown or repeated; only otherwise does it look for the one to
/// name. Instances are reused, per thread, from one message to the next (<see cref="Begin"/> starts a message); none
/// is used after the message's validation returns.
/// </remarks>
internal sealed class JsonFields
{
    // More fields than any valid object has.
    private const int LargestKept = 64;

    [ThreadStatic]
    private static List<JsonFields>? s_pool;

    [ThreadStatic]
    private static int s_inUse;

    private readonly List<JsonProperty> _properties = [];
    private readonly List<string> _read = [];
    private int _next;
    private JsonFields? _parent;
    private string _name = "";
    private string? _path;

    /// <summary>A new message: every instance of this thread may be reused.</summary>
    public static void Begin() => s_inUse = 0;

    /// <summary>The fields of <paramref name="element"/>, named <paramref name="path"/> in reasons.</summary>
    public static JsonFields Of(JsonElement element, string path) => Of(element, null, "", path);

    private static JsonFields Of(JsonElement element, JsonFields? parent, string name, string? path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            path ??= parent!.PathOf(name);
            throw Schema(path.Length == 0
                ? $"payload is not a JSON object, got {Describe(element)}"
                : $"{path}: expected an object, got {Describe(element)}");
        }

        var pool = s_pool ??= [];
        if (s_inUse == pool.Count)
        {
            pool.Add(new JsonFields());
        }
        else if (pool[s_inUse]._properties.Capacity > LargestKept)
        {
            // Not kept: a hostile message with a huge object would pin its table for the thread's life.
            pool[s_inUse] = new JsonFields();
        }

        var fields = pool[s_inUse++];
        fields._properties.Clear();
        foreach (var property in element.EnumerateObject())
        {
            fields._properties.Add(property);
        }

        fields._read.Clear();
        fields._next = 0;
        (fields._parent, fields._name, fields._path) = (parent, name, path);
        return fields;
    }

    /// <summary>
    /// The value of field <paramref name="name"/>, or null when there is none. Fields are looked for where the last
    /// one was found, then from the start: a publisher writes them in the order they are read here, so that is
    /// one comparison of names per field, where a lookup in the document compared half the object's names.
    /// </summary>
    public JsonElement? Optional(string name)
    {
        var index = _next;
        if (index >= _properties.Count || !_properties[index].NameEquals(name))
        {
            index = 0;
            while (index < _properties.Count && !_properties[index].NameEquals(name))
            {
                index++;
            }

            if (index == _properties.Count)
            {
                return null;
            }
        }

        _next = index + 1;
        _read.Add(name);
        return _properties[index].Value;
    }

    /// <summary>Whether field <paramref name="name"/> is there; it is not read by this.</summary>
    public bool Has(string name)
    {
        if (_next < _properties.Count && _properties[_next].NameEquals(name))
        {
            return true;
        }

        foreach (var property in _properties)
        {
            if (property.NameEquals(name))
            {
                return true;
            }
        }

        return false;
    }

    public JsonElement Required(string name) => Optional(name) ?? throw Schema($"{PathOf(name)}: required field is missing");

    public JsonFields Object(string name) => Of(Required(name), this, name, null);

    /// <summary>Every field was read: anything left is unknown or repeated; the first such property is named.</summary>
    public void End()
    {
        if (_properties.Count == _read.Count)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in _properties)
        {
            if (!seen.Add(property.Name))
            {
                throw Schema($"{PathOf(property.Name)}: appears more than once");
            }

            if (!_read.Contains(property.Name))
            {
                throw Schema($"{PathOf(property.Name)}: unknown field");
            }
        }
    }

    public string Id(string name)
    {
        var element = Required(name);
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Schema($"{PathOf(name)}: expected an id string, got {Describe(element)}");
        }

        var id = element.GetString()!;
        return Ids.IsValid(id) ? id : throw Range($"{PathOf(name)}: \"{InputText.Quote(id, 64)}\" is not an id ({Ids.Rule})");
    }

    public string String(string name, Func<string, bool> isValid, string what)
    {
        var element = Required(name);
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Schema($"{PathOf(name)}: expected a string, got {Describe(element)}");
        }

        var text = element.GetString()!;
        return isValid(text) ? text : throw Range($"{PathOf(name)}: \"{InputText.Quote(text, 64)}\" is not {what}");
    }

    public string OneOf(string name, IReadOnlyList<string> allowed) => allowed[IndexOf(name, allowed)];

    /// <summary>Which of <paramref name="allowed"/> the string <paramref name="name"/> is, by its position.</summary>
    public int IndexOf(string name, IReadOnlyList<string> allowed)
    {
        var element = Required(name);
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Schema($"{PathOf(name)}: expected a string, got {Describe(element)}");
        }

        for (var i = 0; i < allowed.Count; i++)
        {
            if (element.ValueEquals(allowed[i]))
            {
                return i;
            }
        }

        throw Range($"{PathOf(name)}: \"{InputText.Quote(element.GetString()!, 64)}\" is not one of {string.Join(", ", allowed)}");
    }

    /// <summary>A timestamp of the contract's form, within the years 0001–9999 and plausible at <paramref name="clock"/>.</summary>
    public long Timestamp(string name, PayloadClock clock)
    {
        var element = Required(name);
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Schema($"{PathOf(name)}: expected a timestamp string, got {Describe(element)}");
        }

        // The token's own bytes between its quotes, without making a string; only a value written with escapes is decoded first.
        var text = JsonMarshal.GetRawUtf8Value(element)[1..^1];
        if (text.Contains((byte)'\\'))
        {
            text = Encoding.UTF8.GetBytes(element.GetString()!);
        }

        // Any year of the form is read: a well-formed 1677 or 9999 is a time out of range, not text of the wrong form.
        if (text.Length > TraceTimestamp.Length + 8 || !TraceTimestamp.TryParseAnyYear(text, out var ms))
        {
            throw Range($"{PathOf(name)}: \"{InputText.Quote(element.GetString()!, 64)}\" is not a UTC timestamp like 2026-03-30T06:00:00.000Z");
        }

        return clock.Limits.Problem(ms, clock.NowMs) is { } problem
            ? throw Implausible($"{PathOf(name)} {TraceTimestamp.Format(ms)} {problem}")
            : ms;
    }

    public bool Boolean(string name)
    {
        var element = Required(name);
        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Schema($"{PathOf(name)}: expected true or false, got {Describe(element)}"),
        };
    }

    public long Integer(string name, long min, long max)
    {
        var element = Required(name);
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value))
        {
            var raw = element.ValueKind == JsonValueKind.Number ? element.GetRawText() : "";
            if (raw.Length > 0 && raw.AsSpan(raw[0] == '-' ? 1 : 0).IndexOfAnyExceptInRange('0', '9') < 0)
            {
                // All digits, but beyond 64 bits.
                throw Range($"{PathOf(name)}: {InputText.Quote(raw, 40)} is out of range [{Format(min)}, {Format(max)}]");
            }

            throw Schema($"{PathOf(name)}: expected an integer, got {Describe(element)}");
        }

        return value >= min && value <= max
            ? value
            : throw Range($"{PathOf(name)}: {value} is out of range [{Format(min)}, {Format(max)}]");
    }

    public double Number(string name, double min, double max, double tolerance = 0, bool minExclusive = false) =>
        ReadNumber(Required(name), name, min, max, tolerance, minExclusive, nullable: false) ?? 0;

    public double? NullableNumber(string name, double min, double max) =>
        ReadNumber(Required(name), name, min, max, 0, minExclusive: false, nullable: true);

    /// <summary>A number or null that older publishers leave out: absent reads as null.</summary>
    public double? OptionalNullableNumber(string name, double min, double max) =>
        Optional(name) is { } element ? ReadNumber(element, name, min, max, 0, minExclusive: false, nullable: true) : null;

    private double? ReadNumber(JsonElement element, string name, double min, double max, double tolerance, bool minExclusive, bool nullable)
    {
        if (nullable && element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            throw Schema($"{PathOf(name)}: expected {(nullable ? "a number or null" : "a number")}, got {Describe(element)}");
        }

        if (!element.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw Range($"{PathOf(name)}: {InputText.Quote(element.GetRawText(), 40)} is not a finite number");
        }

        var belowMin = minExclusive ? value <= min : value < min - tolerance;
        if (belowMin || value > max + tolerance)
        {
            throw Range($"{PathOf(name)}: {InputText.Quote(element.GetRawText(), 40)} is out of range {(minExclusive ? '(' : '[')}{Format(min)}, {Format(max)}]");
        }

        return value;
    }

    private string PathOf(string name)
    {
        // Made only for a reason: most messages never need one.
        var path = _path ??= _parent!.PathOf(_name);
        return path.Length == 0 ? InputText.Quote(name, 64) : $"{path}.{InputText.Quote(name, 64)}";
    }

    /// <summary>Field <c>v</c>: the schema version this ingest reads.</summary>
    public void Version()
    {
        var v = Integer(KpiPayload.V, long.MinValue, long.MaxValue);
        if (v != WindowRecord.SchemaVersion)
        {
            throw Range($"v: {v} is not a supported schema version (expected {WindowRecord.SchemaVersion})");
        }
    }
}
