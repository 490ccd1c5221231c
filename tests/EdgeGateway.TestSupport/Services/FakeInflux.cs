using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace EdgeGateway.TestSupport.Services;

/// <summary>One HTTP request as the fake database saw it.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? Authorization, string? ContentType, string Body);

/// <summary>What the fake database answers: status, body, headers.</summary>
internal sealed record FakeResponse(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static FakeResponse NoContent { get; } = new(204);
}

/// <summary>
/// A local HTTP listener standing in for InfluxDB (1.x or 2.x): records every request and answers what
/// <see cref="Respond"/> says (204 by default).
/// </summary>
internal sealed class FakeInflux : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Task _loop;

    public FakeInflux()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Loopback.FreePort();
            _listener = new HttpListener();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                Url = $"http://127.0.0.1:{port}";
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener.Close();
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Base URL, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; }

    /// <summary>Decides the answer to each request (called on the listener's task).</summary>
    public Func<RecordedRequest, FakeResponse> Respond { get; set; } = _ => FakeResponse.NoContent;

    /// <summary>Requests so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Requests to /write or /api/v2/write so far.</summary>
    public IReadOnlyList<RecordedRequest> Writes => [.. _requests.Where(r => r.Path.EndsWith("/write", StringComparison.Ordinal))];

    /// <summary>Waits until <paramref name="condition"/> holds for the requests so far.</summary>
    public Task WaitForAsync(Func<IReadOnlyList<RecordedRequest>, bool> condition, TimeSpan? timeout = null) =>
        Poll.Until(() => Requests, condition, timeout ?? TimeSpan.FromSeconds(10), "the requests awaited", r => $"{r.Count} requests: {string.Join(" | ", r.Select(q => q.Path))}");

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under it.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var query = new Dictionary<string, string>();
            foreach (var key in context.Request.QueryString.AllKeys)
            {
                if (key is not null)
                {
                    query[key] = context.Request.QueryString[key] ?? "";
                }
            }

            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, query,
                context.Request.Headers["Authorization"], context.Request.ContentType, body);
            _requests.Enqueue(request);
            FakeResponse response;
            try
            {
                response = Respond(request);
            }
            catch (Exception e)
            {
                response = new FakeResponse(500, e.Message);
            }

            context.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            if (response.Body.Length > 0)
            {
                var bytes = Encoding.UTF8.GetBytes(response.Body);
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
            }

            context.Response.Close();
        }
    }
}
