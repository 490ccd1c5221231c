namespace EdgeGateway.Core.Configuration;

/// <summary>
/// One problem of a config file: the file, the line (0 when none), the dotted key path (<c>Agent.Mqtt.Port</c>,
/// <c>EdgeGateway.Cells[1].Signals.green</c>; empty for the file as a whole) and what is wrong.
/// </summary>
public sealed record ConfigProblem(string File, int Line, string KeyPath, string Message)
{
    /// <summary>A reader's problem (its key path, when it has one, apart from its message).</summary>
    public static ConfigProblem Of(InputException problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new(problem.InputName, problem.Line, problem.KeyPath ?? "", problem.Detail);
    }

    /// <summary><c>FILE:LINE: KEY.PATH: what is wrong</c>, the line every program prints for it.</summary>
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}" : File;
        return KeyPath.Length == 0 ? $"{where}: {Message}" : $"{where}: {KeyPath}: {Message}";
    }
}
