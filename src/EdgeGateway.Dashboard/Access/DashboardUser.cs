namespace EdgeGateway.Dashboard.Access;

/// <summary>What a user may see: the whole programme (pseudonymous), its own site, or that and the users.</summary>
public enum Role
{
    /// <summary>The whole programme, pseudonymous ids.</summary>
    Evaluator,

    /// <summary>One site: its cells live and its own before/after, never another site's data.</summary>
    Sme,

    /// <summary>Everything an evaluator sees, and the users page.</summary>
    Admin,
}

/// <summary>One user of the users file: name, role, site (an SME's only), and the password hash of ASP.NET Core's <c>PasswordHasher</c>.</summary>
public sealed record DashboardUser(string Name, Role Role, string? Site, string PasswordHash)
{
    /// <summary>The role as the file and the pages write it.</summary>
    public static string RoleName(Role role) => role switch
    {
        Role.Evaluator => "evaluator",
        Role.Sme => "sme",
        _ => "admin",
    };

    /// <summary>The role named <paramref name="text"/> (any case), or null.</summary>
    public static Role? ParseRole(string? text) => text?.ToLowerInvariant() switch
    {
        "evaluator" => Role.Evaluator,
        "sme" => Role.Sme,
        "admin" => Role.Admin,
        _ => null,
    };

    /// <summary>
    /// What a sign-in cookie carries of the user besides name, role and site: a short hash of the password hash, so that a
    /// password reset or removal ends every session signed in before it.
    /// </summary>
    public string Stamp => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(PasswordHash)))[..16];
}
