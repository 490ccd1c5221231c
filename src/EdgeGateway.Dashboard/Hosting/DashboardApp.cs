using System.Net;
using EdgeGateway.Dashboard.Access;
using EdgeGateway.Dashboard.Cells;
using EdgeGateway.Dashboard.Evaluation;
using EdgeGateway.Dashboard.Overview;
using EdgeGateway.Dashboard.Pages;
using EdgeGateway.Dashboard.Programme;
using EdgeGateway.Queries;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;

namespace EdgeGateway.Dashboard.Hosting;

/// <summary>
/// The web app: cookie sign-in over a persisted data-protection key ring, antiforgery on every form, security headers,
/// forwarded headers from known proxies, HSTS on HTTPS, and the pages (src/docs/dashboard.md, "URLs").
/// </summary>
internal static class DashboardApp
{
    /// <summary>The security headers of every answer; the CSP allows no script at all and styles from the site's own files.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private const string AuthCookie = "edgegw.auth";
    private const string AntiforgeryCookie = "edgegw.af";
    private const string AdminPolicy = "admin";

    public static WebApplication Build(DashboardSettings settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(settings.Options.Urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new UsersFile(settings.UsersPath));
        services.AddSingleton(new HttpClient { Timeout = TimeSpan.FromSeconds(60) });
        services.AddSingleton(sp => new InfluxQueryClient(sp.GetRequiredService<HttpClient>(), settings.InfluxUrl, settings.Options.Database, settings.Options.InfluxToken));
        services.AddSingleton<SnapshotCache>();
        services.AddSingleton<SignInPages>();
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(settings.KeysDirectory)).SetApplicationName("edgegw-dashboard");
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookie;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = AuthCookie;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(settings.Options.SessionMinutes);
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = ValidatePrincipal;
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.RequireRole(DashboardUser.RoleName(Role.Admin)));
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in settings.Options.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });

        var app = builder.Build();
        app.UseForwardedHeaders();
        app.Use(SecurityHeaders);
        app.UseHsts();
        app.Use(DataUnavailable);
        app.UseAuthentication();
        app.UseAuthorization();
        Map(app, settings.Options.Title);
        return app;
    }

    private static void Map(WebApplication app, string title)
    {
        app.MapGet("/static/report.css", () => Css(StyleSheets.Report)).AllowAnonymous();
        app.MapGet("/static/dashboard.css", () => Css(StyleSheets.Dashboard)).AllowAnonymous();
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        app.MapGet("/signin", (HttpContext c) => SignInPages.Show(c)).AllowAnonymous();
        app.MapPost("/signin", (HttpContext c, SignInPages p) => p.Post(c)).AllowAnonymous().AddEndpointFilter(ValidateAntiforgery);
        app.MapPost("/signout", (Delegate)SignInPages.SignOut).AddEndpointFilter(ValidateAntiforgery);
        app.MapGet("/", (HttpContext c, SnapshotCache cache, InfluxQueryClient influx) => OverviewPage.Get(c, cache, influx, title));
        app.MapPost("/refresh", (SnapshotCache cache) =>
        {
            cache.Invalidate();
            return Results.Redirect("/");
        }).AddEndpointFilter(ValidateAntiforgery);
        app.MapGet("/cells/{site}/{cell}", (HttpContext c, string site, string cell, SnapshotCache cache, InfluxQueryClient influx) => CellPage.Get(c, site, cell, cache, influx));
        app.MapGet("/evaluation", (HttpContext c, SnapshotCache cache) => EvaluationPage.Get(c, cache, title));
        app.MapGet("/evaluation/{file}", (HttpContext c, string file, SnapshotCache cache) => EvaluationPage.Download(c, file, cache));
        app.MapGet("/users", UsersPage.Get).RequireAuthorization(AdminPolicy);
        app.MapPost("/users/{action}", (HttpContext c, string action, UsersFile users, SnapshotCache cache) => UsersPage.Post(c, action, users, cache))
            .RequireAuthorization(AdminPolicy).AddEndpointFilter(ValidateAntiforgery);
        app.MapFallback((HttpContext c) => CellPage.NotFound(c, SiteScope.Of(c.User)));
    }

    private static IResult Css(string text) => Results.Text(text, "text/css; charset=utf-8");

    private static Task SecurityHeaders(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // Set last, when not set: antiforgery sets its own on pages with forms (and warns when it finds one set).
        context.Response.OnStarting(() =>
        {
            if (string.IsNullOrEmpty(context.Response.Headers.CacheControl))
            {
                context.Response.Headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>InfluxDB silent or the register broken: a 503 page that says what and where, not a stack trace.</summary>
    private static async Task DataUnavailable(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (DataUnavailableException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await Layout.Problem(context, context.User.Identity?.IsAuthenticated == true ? SiteScope.Of(context.User) : null, StatusCodes.Status503ServiceUnavailable, "Data unavailable", e.Message).ExecuteAsync(context);
        }
    }

    private static async ValueTask<object?> ValidateAntiforgery(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return Layout.Problem(context, null, StatusCodes.Status400BadRequest, "Bad request", "The form is out of date or was not sent by this site (antiforgery check failed): reload the page and try again.");
        }

        return await next(invocation);
    }

    /// <summary>
    /// A cookie of a user since removed, or from before a password reset, role or site change, ends its session: the user
    /// is looked up in the users file on every request (a cached read).
    /// </summary>
    private static async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UsersFile>();
        var principal = context.Principal!;
        var user = principal.Identity?.Name is { } name ? users.Find(name) : null;
        var scope = SiteScope.Of(principal);
        if (user is null || user.Stamp != principal.FindFirst(SiteScope.StampClaim)?.Value || user.Role != scope.Role || (user.Role == Role.Sme && user.Site != scope.Site))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
