using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeGateway.Dashboard.Tests;

/// <summary>
/// Debian's chromium, headless, driven over the DevTools protocol (a WebSocket, no package): a page opened with a
/// cookie at a window width, the console errors and failed loads it reported, a script's answer, and a screenshot.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private const string Binary = "/usr/bin/chromium";
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonObject>> _pending = [];
    private readonly List<string> _errors = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _session = "";
    private int _next;

    private HeadlessChromium(Process process, string profile) => (_process, _profile) = (process, profile);

    /// <summary>Errors the page reported since the last <see cref="OpenAsync"/>: console errors, exceptions, failed loads, CSP violations.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: install the Debian package chromium (tests/run.sh does)");
        var profile = Directory.CreateTempSubdirectory("edgegw-chromium-").FullName;
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run", "--hide-scrollbars", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank"])
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        var browser = new HeadlessChromium(process, profile);
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.IndexOf("ws://", StringComparison.Ordinal) is var at and >= 0)
            {
                endpoint.TrySetResult(line[at..].Trim());
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var url = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await browser._socket.ConnectAsync(new Uri(url), CancellationToken.None);
        browser._reader = Task.Run(browser.ReadAsync);
        var target = await browser.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, session: false);
        var attached = await browser.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, session: false);
        browser._session = attached["sessionId"]!.GetValue<string>();
        foreach (var domain in (string[])["Page.enable", "Runtime.enable", "Log.enable", "Network.enable"])
        {
            await browser.SendAsync(domain, []);
        }

        return browser;
    }

    /// <summary>Sets a cookie for <paramref name="url"/>'s host.</summary>
    public Task SetCookieAsync(Uri url, string name, string value) =>
        SendAsync("Network.setCookie", new JsonObject { ["name"] = name, ["value"] = value, ["url"] = url.AbsoluteUri });

    /// <summary>Opens <paramref name="url"/> in a window <paramref name="width"/> px wide and waits for its load event.</summary>
    public async Task OpenAsync(Uri url, int width, int height = 900)
    {
        lock (_lock)
        {
            _errors.Clear();
        }

        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri });
        await _loaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The value of <paramref name="expression"/> (a string) in the page.</summary>
    public async Task<string> EvaluateAsync(string expression)
    {
        var answer = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        return answer["result"]?["value"]?.GetValue<string>() ?? throw new InvalidOperationException("the script returned no string: " + answer.ToJsonString());
    }

    /// <summary>A PNG of the whole page at the window's width.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var answer = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String(answer["data"]!.GetValue<string>());
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters, bool session = true)
    {
        var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_lock)
        {
            id = ++_next;
            _pending[id] = done;
        }

        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session)
        {
            message["sessionId"] = _session;
        }

        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        return await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult part;
            try
            {
                part = await _socket.ReceiveAsync(buffer, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
                return;
            }

            message.Write(buffer, 0, part.Count);
            if (!part.EndOfMessage)
            {
                continue;
            }

            var node = JsonNode.Parse(message.ToArray())!.AsObject();
            message.SetLength(0);
            Handle(node);
        }
    }

    private void Handle(JsonObject node)
    {
        if (node["id"] is { } id)
        {
            TaskCompletionSource<JsonObject>? done;
            lock (_lock)
            {
                _pending.Remove(id.GetValue<int>(), out done);
            }

            if (node["error"] is { } error)
            {
                done?.TrySetException(new InvalidOperationException("DevTools: " + error.ToJsonString()));
            }
            else
            {
                done?.TrySetResult(node["result"]?.AsObject() ?? []);
            }

            return;
        }

        var p = node["params"];
        switch (node["method"]?.GetValue<string>())
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
            case "Runtime.consoleAPICalled" when (p?["type"]?.GetValue<string>() is "error" or "assert"):
                Error("console: " + p!["args"]?.ToJsonString());
                break;
            case "Runtime.exceptionThrown":
                Error("exception: " + p?["exceptionDetails"]?["text"]);
                break;
            case "Log.entryAdded" when (p?["entry"]?["level"]?.GetValue<string>() == "error"):
                Error("log: " + p!["entry"]!["text"] + " " + p["entry"]!["url"]);
                break;
            case "Network.loadingFailed":
                Error("load failed: " + p?["errorText"] + " " + p?["blockedReason"]);
                break;
        }
    }

    private void Error(string text)
    {
        lock (_lock)
        {
            _errors.Add(text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        await _reader;
        _socket.Dispose();
        _process.Dispose();
        _stop.Dispose();
        Directory.Delete(_profile, recursive: true);
    }
}
