using System.Security.Claims;

namespace EdgeGateway.Dashboard.Access;

/// <summary>
/// What the signed-in user may see, enforced here only: every page and download asks its data through this filter. An
/// evaluator or admin sees every site; an SME its own site only (another site's cell is "not found", with nothing of it).
/// </summary>
public sealed class SiteScope
{
    /// <summary>The claim that carries an SME's site.</summary>
    public const string SiteClaim = "edgegw:site";

    /// <summary>The claim that carries <see cref="DashboardUser.Stamp"/>.</summary>
    public const string StampClaim = "edgegw:stamp";

    private SiteScope(string name, Role role, string? site) => (Name, Role, Site) = (name, role, site);

    /// <summary>The user's name.</summary>
    public string Name { get; }

    /// <summary>The user's role.</summary>
    public Role Role { get; }

    /// <summary>The one site an SME sees; null for the whole programme.</summary>
    public string? Site { get; }

    /// <summary>Whether the user sees the whole programme.</summary>
    public bool WholeProgramme => Site is null;

    /// <summary>A key that tells apart what different scopes see (for caches of rendered parts).</summary>
    public string CacheKey => Site is null ? "*" : "site:" + Site;

    /// <summary>The scope of a signed-in <paramref name="user"/>; an SME without a site claim sees nothing (a site no id matches).</summary>
    public static SiteScope Of(ClaimsPrincipal user)
    {
        var role = DashboardUser.ParseRole(user.FindFirstValue(ClaimTypes.Role)) ?? Role.Sme;
        var site = role == Role.Sme ? user.FindFirstValue(SiteClaim) ?? "\0" : null;
        return new SiteScope(user.Identity?.Name ?? "", role, site);
    }

    /// <summary>The claims a sign-in cookie carries for <paramref name="user"/>.</summary>
    public static ClaimsPrincipal Principal(DashboardUser user, string scheme)
    {
        List<Claim> claims = [new(ClaimTypes.Name, user.Name), new(ClaimTypes.Role, DashboardUser.RoleName(user.Role)), new(StampClaim, user.Stamp)];
        if (user.Site is not null)
        {
            claims.Add(new Claim(SiteClaim, user.Site));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>Whether <paramref name="site"/>'s data may be shown.</summary>
    public bool Sees(string site) => Site is null || string.Equals(Site, site, StringComparison.Ordinal);

    /// <summary>The items of sites the user sees.</summary>
    public IEnumerable<T> Filter<T>(IEnumerable<T> items, Func<T, string> site) => Site is null ? items : items.Where(i => Sees(site(i)));
}
