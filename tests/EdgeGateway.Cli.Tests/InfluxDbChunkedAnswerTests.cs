using System.Globalization;
using System.Net;
using System.Text;
using EdgeGateway.Queries;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// The streamed read of the day records (<see cref="DayRecordsQuery.Read"/> over <see cref="InfluxQueryClient.QueryRows"/>)
/// against InfluxDB 1.x chunked answers, delivered a few bytes at a time so that rows and tokens split between reads.
/// </summary>
public sealed class InfluxDbChunkedAnswerTests
{
    private const string Columns = """["time","run_s","window_s","good","ideal_s"]""";
    private static readonly DateOnly s_from = new(2026, 3, 2);
    private static readonly DateOnly s_to = new(2026, 3, 6);

    [Fact]
    public void Read_JoinsASeriesContinuedInTheNextChunkAndSlice_KeepingOnlyTheWindowsDays()
    {
        // The first slice answers in two chunks (the series marked partial in the first); the second slice continues
        // the same cell. 1 March and 6 March lie outside [2 March, 6 March).
        var answers = new FakeInfluxDb(sliceStart => sliceStart < new DateOnly(2026, 3, 4)
            ? Chunk(Row(1, 100, "null"), Row(2, 200, "null")) + ",\"partial\":true}]}]}\n" + Chunk(Row(3, 300, "1500")) + "}]}]}\n"
            : Chunk(Row(4, 400, "1600"), Row(6, 600, "null")) + "}]}]}");

        var cells = DayRecordsQuery.Read(answers.Client(), s_from, s_to);

        var cell = Assert.Single(cells);
        Assert.Equal(("sme-1", "lathe-1"), (cell.Site, cell.Cell));
        Assert.Equal([new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 4)], cell.Days.Select(d => d.Day));
        Assert.Equal([200.0, 300, 400], cell.Days.Select(d => d.RunSeconds));
        Assert.Equal([20.0, 30, 40], cell.Days.Select(d => d.Good));
        Assert.Equal([null, 1500.0, 1600], cell.Days.Select(d => d.IdealSeconds));
        // Fields not selected by the answer's columns count as zero.
        Assert.All(cell.Days, d => Assert.Equal(0, d.Scrap));
        Assert.All(answers.Queries, q => Assert.Contains("chunked=true", q, StringComparison.Ordinal));
        Assert.All(answers.Queries, q => Assert.Contains("epoch=ns", q, StringComparison.Ordinal));
        Assert.Equal(2, answers.Queries.Count);
    }

    [Fact]
    public void Read_ChunkLargerThanTheReadBuffer_AndRecordsOfOneDate_KeepsTheLatest()
    {
        // 30 000 records of 2 March (about 1.4 MB, more than the first buffer), a second apart: a re-sent record
        // replaces the earlier one, so the last is kept; 3 March's record comes after them in the same chunk.
        var sameDay = Enumerable.Range(0, 30_000).Select(i => Row(2, i, "null", secondsAfterMidnight: i));
        var answers = new FakeInfluxDb(sliceStart => sliceStart < new DateOnly(2026, 3, 4) ? Chunk([.. sameDay, Row(3, 7, "null")]) + "}]}]}\n" : """{"results":[{"statement_id":0}]}""");

        var cell = Assert.Single(DayRecordsQuery.Read(answers.Client(), s_from, s_to));

        Assert.Equal([new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3)], cell.Days.Select(d => d.Day));
        Assert.Equal([29_999.0, 7], cell.Days.Select(d => d.RunSeconds));
    }

    [Fact]
    public void Read_ErrorInsideAChunk_IsAQueryErrorWithInfluxDbsMessage()
    {
        var answers = new FakeInfluxDb(_ => Chunk(Row(2, 200, "null")) + ",\"partial\":true}]}]}\n" +
            """{"results":[{"statement_id":0,"error":"query interrupted"}]}""" + "\n");

        var error = Assert.Throws<InfluxQueryException>(() => DayRecordsQuery.Read(answers.Client(), s_from, s_to));

        Assert.Contains("query interrupted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NonNumericField_NamesTheSeriesAndTheColumn()
    {
        var answers = new FakeInfluxDb(_ => Chunk(Row(2, 200, "null").Replace(",20,", ",\"many\",", StringComparison.Ordinal)) + "}]}]}\n");

        var error = Assert.Throws<InfluxQueryException>(() => DayRecordsQuery.Read(answers.Client(), s_from, s_to));

        Assert.Equal("site sme-1, cell lathe-1: field good of a day record is String, not a number", error.Message);
    }

    [Fact]
    public void Read_RejectedQuery_IsAQueryError_AndAServerError_Unreachable()
    {
        var rejected = new FakeInfluxDb(_ => """{"error":"database not found: edgegw"}""", HttpStatusCode.BadRequest);
        var failing = new FakeInfluxDb(_ => """{"error":"timeout"}""", HttpStatusCode.InternalServerError);

        Assert.Contains("HTTP 400: database not found: edgegw", Assert.Throws<InfluxQueryException>(() => DayRecordsQuery.Read(rejected.Client(), s_from, s_to)).Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 500: timeout", Assert.Throws<InfluxUnreachableException>(() => DayRecordsQuery.Read(failing.Client(), s_from, s_to)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AnswerThatIsNotInfluxDbs_IsUnreachable_AndTheTokenIsSent()
    {
        var answers = new FakeInfluxDb(_ => "<html>proxy login</html>");

        var error = Assert.Throws<InfluxUnreachableException>(() => DayRecordsQuery.Read(answers.Client(token: "secret"), s_from, s_to));

        Assert.Contains("without an InfluxDB query result", error.Message, StringComparison.Ordinal);
        Assert.All(answers.Authorizations, a => Assert.Equal("Token secret", a));
    }

    /// <summary>The start of a chunk holding cell lathe-1 of site sme-1 with <paramref name="rows"/>, open after its values.</summary>
    private static string Chunk(params string[] rows) =>
        $$"""{"results":[{"statement_id":0,"series":[{"name":"kpi","tags":{"cell":"lathe-1","site":"sme-1"},"columns":{{Columns}},"values":[{{string.Join(",", rows)}}]""";

    /// <summary>A day record starting at midnight UTC of March <paramref name="day"/> (or seconds after it), good = run / 10.</summary>
    private static string Row(int day, double run, string ideal, int secondsAfterMidnight = 0)
    {
        var nanoseconds = new DateTimeOffset(2026, 3, day, 0, 0, 0, TimeSpan.Zero).AddSeconds(secondsAfterMidnight).ToUnixTimeMilliseconds() * 1_000_000;
        return string.Create(CultureInfo.InvariantCulture, $"[{nanoseconds},{run},86400,{run / 10},{ideal}]");
    }

    /// <summary>Answers each query with the body for its slice's first day, a few bytes per read.</summary>
    private sealed class FakeInfluxDb(Func<DateOnly, string> body, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        private const string TimeFrom = "time >= '";

        public List<string> Queries { get; } = [];

        public List<string?> Authorizations { get; } = [];

        public InfluxQueryClient Client(string? token = null) => new(new HttpClient(this), new Uri("http://influx.test:8086"), "edgegw", token);

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = Uri.UnescapeDataString(request.RequestUri!.Query);
            lock (Queries)
            {
                Queries.Add(query);
                Authorizations.Add(request.Headers.Authorization?.ToString());
            }

            var start = query.IndexOf(TimeFrom, StringComparison.Ordinal) + TimeFrom.Length;
            var sliceStart = DateOnly.ParseExact(query.AsSpan(start, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            return new HttpResponseMessage(status) { Content = new StreamContent(new TrickleStream(Encoding.UTF8.GetBytes(body(sliceStart)))) };
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));
    }

    /// <summary>At most 7 bytes per read, as a slow network would deliver them.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 7)]);
    }
}
