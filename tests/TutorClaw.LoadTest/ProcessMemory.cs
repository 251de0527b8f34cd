using System.Globalization;

namespace TutorClaw.LoadTest;

public static class ProcessMemory
{
    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in MiB; NaN where /proc is missing.</summary>
    public static double RssMiB(int processId)
    {
        var status = $"/proc/{processId}/status";
        if (!File.Exists(status))
        {
            return double.NaN;
        }
        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kib = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kib / 1024.0;
            }
        }
        return double.NaN;
    }

    /// <summary>User + system CPU seconds the process has used so far (/proc/&lt;pid&gt;/stat, 100 ticks a second).</summary>
    public static double CpuSeconds(int processId)
    {
        var stat = $"/proc/{processId}/stat";
        if (!File.Exists(stat))
        {
            return double.NaN;
        }
        // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
        var text = File.ReadAllText(stat);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    /// <summary>CPU seconds of a process, its children that have ended, and its living children
    /// (a PostgreSQL postmaster and its backends); NaN where /proc is missing.</summary>
    public static double TreeCpuSeconds(int processId)
    {
        if (!File.Exists($"/proc/{processId}/stat"))
        {
            return double.NaN;
        }
        var ticks = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // ended while we looked
            }
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            if (pid == processId)
            {
                ticks += Field(11) + Field(12) + Field(13) + Field(14);
            }
            else if (Field(1) == processId)
            {
                ticks += Field(11) + Field(12);
            }
        }
        return ticks / 100.0;
    }
}
