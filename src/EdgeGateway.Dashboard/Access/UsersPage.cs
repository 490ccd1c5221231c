using System.Globalization;
using System.Text;
using EdgeGateway.Dashboard.Programme;
using static EdgeGateway.Dashboard.Pages.Layout;

namespace EdgeGateway.Dashboard.Access;

/// <summary>The users page (<c>/users</c>, admins only): the users with role and site; add, remove, reset a password.</summary>
internal static class UsersPage
{
    public static IResult Get(HttpContext context, UsersFile users) => Render(context, users, null, null, StatusCodes.Status200OK);

    public static async Task<IResult> Post(HttpContext context, string action, UsersFile users, SnapshotCache cache)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var name = form["name"].ToString().Trim();
        try
        {
            switch (action)
            {
                case "add":
                    var role = DashboardUser.ParseRole(form["role"]) ?? throw new ArgumentException($"role: '{Core.InputText.Quote(form["role"].ToString())}' is not evaluator, sme or admin");
                    var site = form["site"].ToString().Trim();
                    if (role == Role.Sme && (await cache.CurrentAsync(context.RequestAborted)).Cells.All(c => c.Site != site))
                    {
                        throw new ArgumentException($"site: '{Core.InputText.Quote(site)}' is not a site of the register");
                    }

                    users.Set(name, role, site, form["password"].ToString());
                    return Render(context, users, $"User {name} saved.", null, StatusCodes.Status200OK);
                case "remove":
                    if (string.Equals(name, context.User.Identity?.Name, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new ArgumentException("you cannot remove yourself");
                    }

                    return users.Remove(name)
                        ? Render(context, users, $"User {name} removed.", null, StatusCodes.Status200OK)
                        : throw new ArgumentException($"no user '{Core.InputText.Quote(name)}'");
                case "password":
                    users.ResetPassword(name, form["password"].ToString());
                    return Render(context, users, $"Password of {name} set; their sessions have ended.", null, StatusCodes.Status200OK);
                default:
                    return Results.NotFound();
            }
        }
        catch (ArgumentException e)
        {
            return Render(context, users, null, e.Message, StatusCodes.Status400BadRequest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Render(context, users, null, $"cannot save {users.Path}: {EdgeGateway.Hosting.StorageErrors.Reason(e)}; the users are as they were", StatusCodes.Status500InternalServerError);
        }
    }

    private static IResult Render(HttpContext context, UsersFile users, string? ok, string? error, int status)
    {
        var html = new StringBuilder("<h1>Users</h1>\n<p class=\"lead\">Evaluators see the whole programme; an SME user sees its own site only; admins see what evaluators see and manage users. Passwords: at least 8 characters.</p>\n");
        if (ok is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"ok\" id=\"users-ok\">{E(ok)}</p>\n");
        }

        if (error is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"error\" id=\"users-error\">{E(error)}</p>\n");
        }

        html.Append("<table id=\"user-table\"><tr><th>Name</th><th>Role</th><th>Site</th><th>New password</th><th></th></tr>\n");
        foreach (var u in users.Users())
        {
            var reset = Form(context, "/users/password", $"<input type=\"hidden\" name=\"name\" value=\"{E(u.Name)}\"><input name=\"password\" type=\"password\" autocomplete=\"new-password\" aria-label=\"new password for {E(u.Name)}\" minlength=\"8\" required><button type=\"submit\">Set</button>", "row");
            var remove = Form(context, "/users/remove", $"<input type=\"hidden\" name=\"name\" value=\"{E(u.Name)}\"><button type=\"submit\">Remove</button>", "row");
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(u.Name)}</td><td>{DashboardUser.RoleName(u.Role)}</td><td>{E(u.Site ?? "–")}</td><td>{reset}</td><td>{remove}</td></tr>\n");
        }

        html.Append("</table>\n<h2>Add a user</h2>\n");
        var fields = "<label for=\"new-name\">User name</label><input id=\"new-name\" name=\"name\" required>" +
            "<label for=\"new-role\">Role</label><select id=\"new-role\" name=\"role\"><option>evaluator</option><option>sme</option><option>admin</option></select>" +
            "<label for=\"new-site\">Site (SME users only)</label><input id=\"new-site\" name=\"site\">" +
            "<label for=\"new-password\">Password</label><input id=\"new-password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" minlength=\"8\" required>" +
            "<button type=\"submit\">Add</button>";
        html.Append(Form(context, "/users/add", fields, "stack"));
        return Page(context, "Users", html.ToString(), SiteScope.Of(context.User), status);
    }
}
