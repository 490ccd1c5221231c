using System.Buffers.Binary;
using System.Numerics;

namespace EdgeGateway.Agent.Hosting;

/// <summary>
/// SHA-256 (FIPS 180-4) of the config file, for the birth message's <c>config_sha256</c>: a technician compares it
/// with <c>sha256sum /etc/edgegw/edgegw.json</c>. Written out here because .NET's SHA256 on Linux is OpenSSL, and
/// loading libcrypto costs a gateway without TLS 3.3 MB of its 40 MB resident-memory budget (measured with
/// deploy/arm64/rss.sh). Tested against the platform's SHA256 (ConfigSha256Tests). Not for anything secret.
/// </summary>
internal static class ConfigSha256
{
    private static readonly uint[] s_k =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>The digest of <paramref name="data"/> as 64 lower-case hex digits.</summary>
    public static string Hex(ReadOnlySpan<byte> data)
    {
        Span<uint> h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

        // The message, a 1 bit, zeros, and its length in bits fill a whole number of 64-byte blocks.
        var blocks = (data.Length + 8) / 64 + 1;
        var tail = new byte[(blocks * 64) - (data.Length / 64 * 64)];
        data[(data.Length / 64 * 64)..].CopyTo(tail);
        tail[data.Length % 64] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(tail.AsSpan(tail.Length - 8), (ulong)data.Length * 8);

        Span<uint> w = stackalloc uint[64];
        for (var block = 0; block < blocks; block++)
        {
            var offset = block * 64;
            var bytes = offset + 64 <= data.Length / 64 * 64 ? data.Slice(offset, 64) : tail.AsSpan(offset - (data.Length / 64 * 64), 64);
            Compress(h, w, bytes);
        }

        Span<byte> digest = stackalloc byte[32];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest[(i * 4)..], h[i]);
        }

        return Convert.ToHexStringLower(digest);
    }

    private static void Compress(Span<uint> h, Span<uint> w, ReadOnlySpan<byte> block)
    {
        for (var t = 0; t < 16; t++)
        {
            w[t] = BinaryPrimitives.ReadUInt32BigEndian(block[(t * 4)..]);
        }

        for (var t = 16; t < 64; t++)
        {
            var s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
            var s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }

        uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
        for (var t = 0; t < 64; t++)
        {
            var sum1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            var choice = (e & f) ^ (~e & g);
            var t1 = k + sum1 + choice + s_k[t] + w[t];
            var sum0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            var majority = (a & b) ^ (a & c) ^ (b & c);
            var t2 = sum0 + majority;
            k = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += k;
    }
}
