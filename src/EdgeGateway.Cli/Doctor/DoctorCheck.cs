namespace EdgeGateway.Cli.Doctor;

/// <summary>How a check of <c>edgegw doctor</c> came out; the worst one decides the exit code.</summary>
internal enum Verdict
{
    /// <summary>As it should be.</summary>
    Ok,

    /// <summary>Works, but a technician should look (exit code 1).</summary>
    Warn,

    /// <summary>The gateway cannot measure or deliver this way (exit code 2).</summary>
    Fail,
}

/// <summary>One line of <c>edgegw doctor</c>: what was checked, how it came out, what was found, and the fix in words.</summary>
internal sealed record DoctorCheck(string Name, Verdict Verdict, string Found, string? Fix = null)
{
    public static DoctorCheck Ok(string name, string found) => new(name, Verdict.Ok, found);

    public static DoctorCheck Warn(string name, string found, string fix) => new(name, Verdict.Warn, found, fix);

    public static DoctorCheck Fail(string name, string found, string fix) => new(name, Verdict.Fail, found, fix);

    /// <summary><c>ok   name: found</c>, or with <c> — fix: …</c>.</summary>
    public override string ToString() =>
        $"{Verdict.ToString().ToLowerInvariant(),-4} {Name}: {Found}{(Fix is null ? "" : $" — fix: {Fix}")}";
}
