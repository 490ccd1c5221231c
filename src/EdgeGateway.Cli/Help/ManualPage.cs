namespace EdgeGateway.Cli.Help;

/// <summary>
/// What a command's <c>--help</c> says after its options, as a man page would: its exit status, the files it reads or
/// writes, and examples. The details stay in src/docs/cli.md; on a gateway the help is all there is.
/// </summary>
/// <param name="ExitStatus">One line per exit code: <c>0 …</c>, <c>1 …</c>, ….</param>
/// <param name="Examples">Command lines a technician can type, each with what it does.</param>
/// <param name="Files">Files it reads or writes by default, or null.</param>
public sealed record ManualPage(string[] ExitStatus, (string Line, string What)[] Examples, string[]? Files = null);
