namespace EdgeGateway.Core.Kpi;

/// <summary>Receives each window record once, when the window closes, in window order per cell and kind.</summary>
public interface IWindowRecordSink
{
    /// <summary>Called on the engine's thread; the record is a value, copy what you keep.</summary>
    void OnRecord(in WindowRecord record);
}

/// <summary>Optionally implemented by a record sink that also wants the cells' state changes (e.g. to publish them).</summary>
public interface IStateChangeSink
{
    /// <summary>Called on the engine's thread when a cell's machine state changes at <paramref name="atMs"/>.</summary>
    void OnStateChange(Configuration.CellConfig cell, long atMs, MachineState state);
}
