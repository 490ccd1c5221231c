using System.Text.Json;
using EdgeGateway.Core;
using EdgeGateway.Hosting;
using Microsoft.AspNetCore.Identity;

namespace EdgeGateway.Dashboard.Access;

/// <summary>
/// The users file (src/docs/dashboard.md, "Users file"): <c>{"users": [{"name", "role", "site", "password_hash"}]}</c>,
/// read whole and checked, written whole through a temporary file and a rename, so that a reader never sees half a file.
/// </summary>
public sealed class UsersFile(string path)
{
    private static readonly PasswordHasher<DashboardUser> s_hasher = new();
    private readonly Lock _lock = new();
    private (DateTime Written, long Length, IReadOnlyList<DashboardUser> Users)? _cached;

    /// <summary>Where the file is.</summary>
    public string Path => path;

    /// <summary>The users now in the file (read again when it changed; none when it does not exist).</summary>
    /// <exception cref="InputException">The file is not a valid users file.</exception>
    public IReadOnlyList<DashboardUser> Users()
    {
        lock (_lock)
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return [];
            }

            if (_cached is { } c && c.Written == info.LastWriteTimeUtc && c.Length == info.Length)
            {
                return c.Users;
            }

            var users = Read(path);
            _cached = (info.LastWriteTimeUtc, info.Length, users);
            return users;
        }
    }

    /// <summary>The user named <paramref name="name"/> (names compare case-insensitively), or null.</summary>
    public DashboardUser? Find(string name) => Users().FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The user when <paramref name="password"/> is theirs, else null (the hash is checked even for an unknown name, so timing tells nothing).</summary>
    public DashboardUser? Verify(string name, string password)
    {
        var user = Find(name);
        var hash = user?.PasswordHash ?? s_dummyHash.Value;
        var ok = s_hasher.VerifyHashedPassword(user!, hash, password) != PasswordVerificationResult.Failed;
        return ok ? user : null;
    }

    private static readonly Lazy<string> s_dummyHash = new(() => s_hasher.HashPassword(null!, Guid.NewGuid().ToString()));

    /// <summary>Adds a user, or sets an existing one's role, site and password.</summary>
    /// <exception cref="ArgumentException">The name, role/site combination or password is not allowed (the message says why).</exception>
    public DashboardUser Set(string name, Role role, string? site, string password)
    {
        CheckName(name);
        if (role == Role.Sme && string.IsNullOrWhiteSpace(site))
        {
            throw new ArgumentException("an sme user needs a site");
        }

        if (password.Length < 8)
        {
            throw new ArgumentException("the password must have at least 8 characters");
        }

        var user = new DashboardUser(name, role, role == Role.Sme ? site!.Trim() : null, s_hasher.HashPassword(null!, password));
        lock (_lock)
        {
            var users = Users().Where(u => !string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase)).Append(user).OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToList();
            Write(users);
        }

        return user;
    }

    /// <summary>Sets a user's password, keeping role and site.</summary>
    /// <exception cref="ArgumentException">No such user, or the password is too short.</exception>
    public void ResetPassword(string name, string password)
    {
        var user = Find(name) ?? throw new ArgumentException($"no user '{InputText.Quote(name)}'");
        Set(user.Name, user.Role, user.Site, password);
    }

    /// <summary>Removes a user; false when there was none of that name.</summary>
    public bool Remove(string name)
    {
        lock (_lock)
        {
            var users = Users().ToList();
            var removed = users.RemoveAll(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase)) > 0;
            if (removed)
            {
                Write(users);
            }

            return removed;
        }
    }

    /// <summary>Reads and checks the file at <paramref name="file"/>; every problem names the file and the user's place in it.</summary>
    /// <exception cref="InputException">Not a valid users file (all problems in <see cref="InputException.Problems"/>).</exception>
    public static IReadOnlyList<DashboardUser> Read(string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(file));
        }
        catch (JsonException e)
        {
            throw new InputException(file, (int)(e.LineNumber ?? -1) + 1, $"not JSON: {InputText.Quote(e.Message, 200)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(file, 0, $"cannot read the users file: {InputText.Quote(e.Message, 200)}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("users", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new InputException(file, 0, "expected {\"users\": [...]}");
            }

            var users = new List<DashboardUser>();
            var problems = new List<InputException>();
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var where = $"users[{i++}]";
                string? Text(string key) => item.ValueKind == JsonValueKind.Object && item.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var name = Text("name");
                var role = DashboardUser.ParseRole(Text("role"));
                var site = Text("site");
                var hash = Text("password_hash");
                if (name is null || !ValidName(name))
                {
                    problems.Add(new InputException(file, 0, $"{where}.name: '{InputText.Quote(name ?? "")}' is not a user name (1-64 letters, digits, '.', '_', '-', '@')"));
                }

                if (role is null)
                {
                    problems.Add(new InputException(file, 0, $"{where}.role: '{InputText.Quote(Text("role") ?? "")}' is not evaluator, sme or admin"));
                }

                if (role == Role.Sme && string.IsNullOrWhiteSpace(site))
                {
                    problems.Add(new InputException(file, 0, $"{where}.site: an sme user needs a site"));
                }

                if (string.IsNullOrEmpty(hash) || !IsHash(hash))
                {
                    problems.Add(new InputException(file, 0, $"{where}.password_hash: not a password hash of ASP.NET Core's PasswordHasher (create users with 'edgegw-dashboard --config FILE user add NAME --role ROLE')"));
                }

                if (name is not null && users.Exists(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    problems.Add(new InputException(file, 0, $"{where}.name: '{InputText.Quote(name)}' is listed twice"));
                }

                if (name is not null && role is { } r && hash is not null)
                {
                    users.Add(new DashboardUser(name, r, r == Role.Sme ? site : null, hash));
                }
            }

            if (problems.Count > 0)
            {
                throw problems.Count == 1 ? problems[0] : new InputException(file, 0, $"{problems.Count} problems") { Problems = problems };
            }

            return users;
        }
    }

    /// <summary>Whether <paramref name="name"/> may be a user name.</summary>
    public static bool ValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@');

    private static void CheckName(string name)
    {
        if (!ValidName(name))
        {
            throw new ArgumentException($"'{InputText.Quote(name)}' is not a user name (1-64 letters, digits, '.', '_', '-', '@')");
        }
    }

    // ASP.NET Core's format: base64 of a version byte (0x01 for V3) and the salt, iteration count and subkey.
    private static bool IsHash(string hash)
    {
        Span<byte> bytes = stackalloc byte[hash.Length];
        return Convert.TryFromBase64String(hash, bytes, out var length) && length > 13 && bytes[0] == 0x01;
    }

    private void Write(List<DashboardUser> users)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("users");
            foreach (var u in users)
            {
                json.WriteStartObject();
                json.WriteString("name", u.Name);
                json.WriteString("role", DashboardUser.RoleName(u.Role));
                if (u.Site is not null)
                {
                    json.WriteString("site", u.Site);
                }

                json.WriteString("password_hash", u.PasswordHash);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        var full = System.IO.Path.GetFullPath(path);
        // Durable (a power cut leaves the old users or the new ones); the hashes are the service's and its admins' business only.
        DirectorySync.Replace(
            System.IO.Path.GetDirectoryName(full)!, $"{full}.{Environment.ProcessId}.tmp", full, buffer.GetBuffer().AsSpan(0, (int)buffer.Length),
            UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _cached = null;
    }
}
