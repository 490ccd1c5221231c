using System.Globalization;
using System.Threading.RateLimiting;
using EdgeGateway.Dashboard.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using static EdgeGateway.Dashboard.Pages.Layout;

namespace EdgeGateway.Dashboard.Access;

/// <summary>
/// Sign-in (<c>GET/POST /signin</c>) and sign-out (<c>POST /signout</c>). Failed attempts are limited per user name and
/// client address, and per client address over all names (4 times as many: one address trying many names, password
/// spraying), each in a fixed window of a minute: once used up, attempts are answered 429 without checking the password.
/// </summary>
internal sealed partial class SignInPages(UsersFile users, DashboardSettings settings, ILogger<SignInPages> logger) : IDisposable
{
    /// <summary>How many times the per-name allowance one address has over all names.</summary>
    public const int AddressAllowanceFactor = 4;

    private readonly PartitionedRateLimiter<string> _limiter = PerMinute(settings.Options.SignInAttemptsPerMinute);
    private readonly PartitionedRateLimiter<string> _addressLimiter = PerMinute(settings.Options.SignInAttemptsPerMinute * AddressAllowanceFactor);

    private static PartitionedRateLimiter<string> PerMinute(int permits) => PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(
        key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    public static IResult Show(HttpContext context) => SignInForm(context, context.Request.Query["ReturnUrl"].ToString(), null, StatusCodes.Status200OK);

    public async Task<IResult> Post(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var name = form["name"].ToString().Trim();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "-";
        var key = $"{address}|{name.ToLowerInvariant()}";
        // Only failed attempts use up the minute's allowance; once it is used up, no password is checked.
        if (_limiter.GetStatistics(key) is { CurrentAvailablePermits: 0 } || _addressLimiter.GetStatistics(address) is { CurrentAvailablePermits: 0 })
        {
            Log.Limited(logger, name, address);
            context.Response.Headers.RetryAfter = "60";
            return SignInForm(context, returnUrl, "Too many failed sign-in attempts: wait a minute.", StatusCodes.Status429TooManyRequests);
        }

        var user = name.Length > 0 && password.Length > 0 ? users.Verify(name, password) : null;
        if (user is null)
        {
            _limiter.AttemptAcquire(key).Dispose();
            _addressLimiter.AttemptAcquire(address).Dispose();
            Log.Failed(logger, name, address);
            return SignInForm(context, returnUrl, "Wrong user name or password.", StatusCodes.Status401Unauthorized);
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, SiteScope.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
        Log.SignedIn(logger, user.Name, user.Role, address);
        // Only a local path: never a redirect to another host.
        return Results.Redirect(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) ? returnUrl : "/");
    }

    public static async Task<IResult> SignOut(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect("/signin");
    }

    public void Dispose()
    {
        _limiter.Dispose();
        _addressLimiter.Dispose();
    }

    private static IResult SignInForm(HttpContext context, string returnUrl, string? error, int status)
    {
        var message = error is null ? "" : $"<p class=\"error\" id=\"signin-error\">{E(error)}</p>";
        var fields = "<label for=\"name\">User name</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required>" +
            "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>" +
            $"<input type=\"hidden\" name=\"returnUrl\" value=\"{E(returnUrl)}\"><button type=\"submit\">Sign in</button>";
        var body = string.Create(CultureInfo.InvariantCulture, $"<h1>Sign in</h1>\n<p class=\"lead\">The programme dashboard of EdgeGateway: evaluators see the whole programme, SMEs their own site.</p>\n{message}{Form(context, "/signin", fields, "stack")}");
        return Page(context, "Sign in", body, null, status);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Signed in: {Name} ({Role}) from {Address}")]
        public static partial void SignedIn(ILogger logger, string name, Role role, string address);

        [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Failed sign-in as '{Name}' from {Address}")]
        public static partial void Failed(ILogger logger, string name, string address);

        [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Sign-in attempts as '{Name}' from {Address} over the limit: refused")]
        public static partial void Limited(ILogger logger, string name, string address);
    }
}
