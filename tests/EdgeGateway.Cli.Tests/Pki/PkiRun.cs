using System.Text;

namespace EdgeGateway.Cli.Tests.Pki;

/// <summary>Runs <c>edgegw</c> in process, as a shell would: exit code, stdout and stderr.</summary>
internal static class PkiRun
{
    /// <summary>The command line's outcome.</summary>
    public static (int Code, string Out, string Err) Edgegw(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>Runs and asserts exit code 0; returns stdout.</summary>
    public static string Ok(params string[] args)
    {
        var (code, output, error) = Edgegw(args);
        Assert.True(code == 0, $"edgegw {string.Join(' ', args)}: exit code {code}: {error}");
        return output;
    }
}
