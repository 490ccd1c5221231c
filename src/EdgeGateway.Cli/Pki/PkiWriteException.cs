using EdgeGateway.Core;

namespace EdgeGateway.Cli.Pki;

/// <summary>A file of the PKI could not be written (full disk, no permission): exit code 1, the file named, nothing half written.</summary>
internal sealed class PkiWriteException(string file, Exception inner)
    : Exception($"{file}: cannot write: {InputText.Quote(inner.Message, 200)}", inner);
