namespace EdgeGateway.Core.Kpi;

/// <summary>Receives each window record once, when the window closes, in window order per cell and kind.</summary>
public interface IWindowRecordSink
{
    /// <summary>Called on the engine's thread; the record is a value, copy what you keep.</summary>
    void OnRecord(in WindowRecord record);
}
