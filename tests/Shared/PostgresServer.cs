using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TutorClaw.Mcp.TestSupport;

/// <summary>
/// A real PostgreSQL server for one test run: Debian's <c>postgresql</c> binaries
/// (<c>/usr/lib/postgresql/&lt;version&gt;/bin</c>, installed by scripts/test.sh when missing),
/// <c>initdb</c> into a fresh temporary directory and <c>pg_ctl start</c> on a free loopback port,
/// trust authentication for loopback only. PostgreSQL refuses to run as root, so when the tests run
/// as root (CI does) every server command runs as the unprivileged <c>postgres</c> user that the
/// package creates. <see cref="Dispose"/> stops the server and deletes the directory; a directory
/// left by a test process that died is cleaned up by the next start. No Docker, no network beyond
/// 127.0.0.1. Uses no database client library, so any project that shares this file can start one.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string Superuser = "postgres";
    private const string DirectoryPrefix = "tutorclaw-pg-";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly string _bin;
    private readonly bool _durable;
    private bool _stopped;

    /// <summary>A server for tests: fsync off, since nothing in it survives the run.</summary>
    public PostgresServer()
        : this(durable: false)
    {
    }

    private PostgresServer(bool durable)
    {
        _durable = durable;
        _bin = FindBinaries();
        RemoveLeftovers();
        // A free port can be taken between probing and binding; try a few.
        for (var attempt = 1; ; attempt++)
        {
            DataDirectory = Path.Combine(BaseDirectory, $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
            Port = FreeLoopbackPort();
            try
            {
                InitDb();
                Start();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                Delete(DataDirectory);
            }
        }
    }

    /// <summary>A server for benchmarks: fsync on (PostgreSQL's default), so a commit is as durable
    /// as the file store's and the figures compare like with like.</summary>
    public static PostgresServer StartDurable() => new(durable: true);

    /// <summary>The cluster's directory (owned by the server's user).</summary>
    public string DataDirectory { get; private set; } = "";

    public int Port { get; private set; }

    /// <summary>An Npgsql connection string for <paramref name="database"/> as the superuser (no password: trust on loopback).</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database}";

    /// <summary>A new empty database with a unique name; returns its name.</summary>
    public string CreateDatabase()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        Run(Path.Combine(_bin, "createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", Superuser, name], asServerUser: false);
        return name;
    }

    /// <summary>Stops the server (fast shutdown: open sessions are ended) and keeps its files.</summary>
    public void Stop() => Run(PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], asServerUser: true);

    /// <summary>Starts the server again on the same port with the same data.</summary>
    public void Start() =>
        Run(PgCtl,
        [
            "start", "-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(DataDirectory, "server.log"),
            // Loopback TCP only; the socket lives in the cluster's own directory (the package's
            // /var/run/postgresql may not exist or be writable). For tests fsync is off because
            // nothing here survives the run; a clean stop still writes everything.
            "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {DataDirectory} -c fsync={(_durable ? "on" : "off")} -c max_connections=300",
        ], asServerUser: true);

    public void Dispose()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        try
        {
            Run(PgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60"], asServerUser: true);
        }
        catch (InvalidOperationException)
        {
            // Already stopped by a test; the directory goes all the same.
        }
        Delete(DataDirectory);
    }

    private string PgCtl => Path.Combine(_bin, "pg_ctl");

    private static bool AsRoot => Environment.IsPrivilegedProcess;

    /// <summary>As root, /tmp itself: the server's user must be able to reach the directory, and a
    /// TMPDIR under root's home would not let it.</summary>
    private static string BaseDirectory => AsRoot ? "/tmp" : Path.GetTempPath();

    private void InitDb()
    {
        if (AsRoot)
        {
            // initdb creates the directory itself; as root, it must belong to the server's user.
            Directory.CreateDirectory(DataDirectory);
            Run("chown", [Superuser, DataDirectory], asServerUser: false);
        }
        Run(Path.Combine(_bin, "initdb"),
            ["-D", DataDirectory, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"],
            asServerUser: true);
    }

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.EnumerateDirectories(root)
                .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Directory, "bin", "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Directory, "bin"))
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries were not found under /usr/lib/postgresql/*/bin; install Debian's postgresql package " +
            "(scripts/test.sh does so when they are missing).");
    }

    /// <summary>Servers whose test process died (its id is in the directory name) are stopped and deleted.</summary>
    private void RemoveLeftovers()
    {
        foreach (var directory in Directory.EnumerateDirectories(BaseDirectory, DirectoryPrefix + "*"))
        {
            var owner = Path.GetFileName(directory)[DirectoryPrefix.Length..].Split('-')[0];
            if (!int.TryParse(owner, out var pid) || IsAlive(pid))
            {
                continue;
            }
            try
            {
                if (File.Exists(Path.Combine(directory, "postmaster.pid")))
                {
                    Run(PgCtl, ["stop", "-D", directory, "-m", "immediate", "-w", "-t", "30"], asServerUser: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Not running any more.
            }
            Delete(directory);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void Delete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temp directory left behind is not a test failure.
        }
    }

    /// <summary>Runs a command to completion; as the server's user when we are root. Throws with its output when it fails.</summary>
    private static void Run(string program, IReadOnlyList<string> arguments, bool asServerUser)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = BaseDirectory,
        };
        if (asServerUser && AsRoot)
        {
            start.FileName = "runuser";
            foreach (var part in (string[])["-u", Superuser, "--", program])
            {
                start.ArgumentList.Add(part);
            }
        }
        else
        {
            start.FileName = program;
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The server and its tools must not pick up a caller's PG* settings (PGPASSWORD, PGHOST…).
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} did not finish in {CommandTimeout}.");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}");
        }
    }
}
