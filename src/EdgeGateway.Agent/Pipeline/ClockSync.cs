using System.Runtime.InteropServices;

namespace EdgeGateway.Agent.Pipeline;

/// <summary>
/// Whether the system clock is synchronised (a Pi has no RTC: until NTP has set it, timestamps are wrong). Asks
/// the kernel through adjtimex(2): any NTP daemon that disciplines the clock clears STA_UNSYNC.
/// </summary>
public static partial class ClockSync
{
    private const int StaUnsync = 0x0040;
    private const int TimeError = 5;

    private const int StaNano = 0x2000;

    /// <summary>True when the kernel reports a synchronised clock; false when it does not or cannot say.</summary>
    public static bool IsSynchronized() => Read().Synced;

    /// <summary>
    /// Whether the clock is synchronised and the kernel's current offset estimate in seconds (the NTP daemon's last
    /// measured offset being slewed away), from one adjtimex call; the offset is null when the call fails.
    /// </summary>
    public static ClockReading Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new ClockReading(false, null);
        }

        var timex = new Timex();
        try
        {
            var state = Adjtimex(ref timex);
            if (state < 0)
            {
                return new ClockReading(false, null);
            }

            var offset = timex.Offset / ((timex.Status & StaNano) != 0 ? 1e9 : 1e6);
            return new ClockReading(state != TimeError && (timex.Status & StaUnsync) == 0, offset);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return new ClockReading(false, null);
        }
    }

    [LibraryImport("libc", EntryPoint = "adjtimex")]
    private static partial int Adjtimex(ref Timex timex);

    /// <summary>struct timex of 64-bit Linux (x86-64 and arm64 share the layout); only <c>offset</c> and <c>status</c> are read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Timex
    {
        public uint Modes;
        public long Offset;
        public long Freq;
        public long Maxerror;
        public long Esterror;
        public int Status;
        public long Constant;
        public long Precision;
        public long Tolerance;
        public long TimeSec;
        public long TimeUsec;
        public long Tick;
        public long Ppsfreq;
        public long Jitter;
        public int Shift;
        public long Stabil;
        public long Jitcnt;
        public long Calcnt;
        public long Errcnt;
        public long Stbcnt;
        public int Tai;
#pragma warning disable IDE0051, CS0169 // padding of the kernel struct
        private unsafe fixed int _padding[11];
#pragma warning restore IDE0051, CS0169
    }
}
