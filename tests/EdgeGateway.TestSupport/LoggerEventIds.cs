using System.Reflection;

namespace EdgeGateway.TestSupport;

/// <summary>
/// The event ids of the <c>[LoggerMessage]</c> methods of an assembly, found by reflection (by the attribute's name, so
/// that test projects without a logging reference compile this file too). An event id names one kind of log line.
/// </summary>
internal static class LoggerEventIds
{
    private const string AttributeName = "Microsoft.Extensions.Logging.LoggerMessageAttribute";
    private const BindingFlags AllMethods = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    /// <summary>Every <c>[LoggerMessage]</c> method of <paramref name="types"/> with its event id (-1 when it sets none).</summary>
    public static IReadOnlyList<(int EventId, string Method)> Of(IEnumerable<Type> types)
    {
        var found = new List<(int, string)>();
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(AllMethods))
            {
                foreach (var attribute in method.CustomAttributes)
                {
                    if (attribute.AttributeType.FullName == AttributeName)
                    {
                        found.Add((EventIdOf(attribute), $"{type.FullName}.{method.Name}"));
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Every <c>[LoggerMessage]</c> method of <paramref name="assembly"/>, nested and private types included.</summary>
    public static IReadOnlyList<(int EventId, string Method)> Of(Assembly assembly) => Of(assembly.GetTypes());

    /// <summary>
    /// What is wrong with the event ids of <paramref name="assembly"/>: fewer than <paramref name="atLeast"/> methods
    /// found (the search itself broke), a method without an id, an id used twice. Empty when all is well.
    /// </summary>
    public static IReadOnlyList<string> Problems(Assembly assembly, int atLeast)
    {
        var methods = Of(assembly);
        var problems = new List<string>();
        if (methods.Count < atLeast)
        {
            problems.Add($"{assembly.GetName().Name}: {methods.Count} [LoggerMessage] methods found, expected at least {atLeast}");
        }

        problems.AddRange(methods.Where(m => m.EventId < 0).Select(m => $"{m.Method}: no event id"));
        problems.AddRange(Duplicates(methods));
        return problems;
    }

    /// <summary>One line per event id used by more than one method: <c>540: A.Log.X, B.Log.Y</c>.</summary>
    public static IReadOnlyList<string> Duplicates(IReadOnlyList<(int EventId, string Method)> methods) =>
        [.. methods.GroupBy(m => m.EventId)
            .Where(g => g.Count() > 1)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method).Order(StringComparer.Ordinal))}")];

    private static int EventIdOf(CustomAttributeData attribute)
    {
        foreach (var named in attribute.NamedArguments)
        {
            if (named.MemberName == "EventId")
            {
                return (int)named.TypedValue.Value!;
            }
        }

        var parameters = attribute.Constructor.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].Name == "eventId")
            {
                return (int)attribute.ConstructorArguments[i].Value!;
            }
        }

        return -1;
    }
}
