namespace EdgeGateway.Core.Kpi;

/// <summary>Optionally implemented by a record sink that also wants the cells' state changes (e.g. to publish them).</summary>
public interface IStateChangeSink
{
    /// <summary>Called on the engine's thread when a cell's machine state changes at <paramref name="atMs"/>.</summary>
    void OnStateChange(Configuration.CellConfig cell, long atMs, MachineState state);
}
