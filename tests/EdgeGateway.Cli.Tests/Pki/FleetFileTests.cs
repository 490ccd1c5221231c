using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Cli.Tests.Pki;

/// <summary>The fleet file of <c>edgegw pki broker-config</c>: every problem named with its line.</summary>
public sealed class FleetFileTests
{
    [Theory]
    [InlineData("", "fleet.csv: empty: the first line must be the header 'site,gateway,cells'")]
    [InlineData("site;gateway;cells\n", "fleet.csv:1: the first line must be the header 'site,gateway,cells', found 'site;gateway;cells'")]
    [InlineData("# comment\nsite,gateway,cells\n", "fleet.csv: no gateways: one line site,gateway,cells per gateway after the header")]
    [InlineData("site,gateway,cells\nsme-0042,gw-1\n", "fleet.csv:2: expected 3 fields site,gateway,cells, found 2: 'sme-0042,gw-1'")]
    [InlineData("site,gateway,cells\n\nsme 42,gw-1,c\n", "fleet.csv:3: site 'sme 42' is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("site,gateway,cells\nsme-0042,gw/1,c\n", "fleet.csv:2: gateway 'gw/1' is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("site,gateway,cells\nsme-0042,gw-1,a;;b\n", "fleet.csv:2: the cell is empty")]
    [InlineData("site,gateway,cells\nsme-0042,gw-1,a;#\n", "fleet.csv:2: cell '#' is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("site,gateway,cells\nsme-0042,gw-1,a;a\n", "fleet.csv:2: cell 'a' is listed twice")]
    [InlineData("site,gateway,cells\nsme-0042,gw-1,status\n", "fleet.csv:2: cell 'status' is a level of the topic scheme (PREFIX/sme-0042/status/GATEWAY, PREFIX/sme-0042/batch/GATEWAY, PREFIX/sme-0042/command/GATEWAY, PREFIX/sme-0042/reply/GATEWAY): its state topic would be another gateway's; rename the cell")]
    [InlineData("site,gateway,cells\nsme-0042,gw-1,command\n", "fleet.csv:2: cell 'command' is a level of the topic scheme (PREFIX/sme-0042/status/GATEWAY, PREFIX/sme-0042/batch/GATEWAY, PREFIX/sme-0042/command/GATEWAY, PREFIX/sme-0042/reply/GATEWAY): its state topic would be another gateway's; rename the cell")]
    [InlineData("site,gateway,cells\n_deadletter,gw-1,a\n", "fleet.csv:2: site '_deadletter' is the level of the ingest's dead letters (PREFIX/_deadletter/KIND), not a site")]
    [InlineData("site,gateway,cells\nsme-0042,gw-1,a\nsme-0042,gw-1,b\n", "fleet.csv:3: gateway 'gw-1' at site 'sme-0042' has the identity 'sme-0042.gw-1' of line 2 already (the certificate CN, the broker's user name and client id)")]
    [InlineData("site,gateway,cells\na.b,c,x\na,b.c,y\n", "fleet.csv:3: gateway 'b.c' at site 'a' has the identity 'a.b.c' of line 2 already (the certificate CN, the broker's user name and client id)")]
    [InlineData("site,gateway,cells\nsme-0042,gw-1,a;b\nsme-0042,gw-2,c;b\n", "fleet.csv:3: cell 'b' of site 'sme-0042' is gateway 'gw-1''s already (line 2): a cell is measured by one gateway")]
    public void A_bad_fleet_file_is_one_error_with_its_line(string text, string expected)
    {
        var e = Assert.Throws<InputException>(() => FleetFile.Parse(text, "fleet.csv"));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Comments_blank_lines_and_CRLF_are_read_and_the_same_cell_id_may_be_at_two_sites()
    {
        var fleet = FleetFile.Parse("# fleet\r\nsite,gateway,cells\r\n\r\nsme-0042,gw-1,lathe-1;press-2\r\nsme-0117,gw-1,lathe-1\r\n", "fleet.csv");

        Assert.Equal([("sme-0042.gw-1", 4, 2), ("sme-0117.gw-1", 5, 1)], fleet.Select(g => (g.Identity, g.Line, g.Cells.Count)));
    }
}
