using System.Text.Json;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Cli.Replay;

/// <summary>Writes records as one JSON array, one record per line.</summary>
internal sealed class JsonArrayOutput(Stream stream) : IRecordOutput
{
    private readonly Utf8JsonWriter _writer = new(stream);
    private bool _any;

    public void OnRecord(in WindowRecord record)
    {
        stream.Write(_any ? ",\n"u8 : "[\n"u8);
        _any = true;
        _writer.Reset();
        WindowRecordJson.Write(_writer, record);
        _writer.Flush();
    }

    public void Dispose()
    {
        stream.Write(_any ? "\n]\n"u8 : "[]\n"u8);
        _writer.Dispose();
    }
}
