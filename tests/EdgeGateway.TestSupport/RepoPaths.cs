namespace EdgeGateway.TestSupport;

/// <summary>Files of the repository that tests and benchmarks use (the shipped sample, the solution root).</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding EdgeGateway.sln, found above the working directory or the binary.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A file of deploy/sample, e.g. <c>edgegw.json</c>.</summary>
    public static string Sample(string file) => Path.Combine(Root, "deploy", "sample", file);

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeGateway.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException($"EdgeGateway.sln not found above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}");
    }
}
