package org.listgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP slapd on loopback, for the LDAP directory's integration tests: suffix {@code
 * dc=example,dc=test}, the schemas core, cosine, nis, inetorgperson and misc (for {@code
 * rfc822MailMember}), one mdb database in the test's folder, anonymous read, and an administrator
 * ({@link #adminDn()}, {@link #adminPassword()}) for writes.
 *
 * <p>{@link #start} writes {@code slapd.conf} into the folder, loads the LDIF offline with {@code
 * slapadd} (fast: 10,000 entries in about a second) and then runs {@code slapd -d none} as a child
 * of the JVM, in the foreground and as the current user, listening on {@code 127.0.0.1} only. It
 * returns once the port accepts a connection. {@link #stop} ends the process and keeps the data;
 * {@link #restart} brings it back on the same port, for outage tests.
 *
 * <p>FILES (in the folder): {@code slapd.conf}, {@code load.ldif}, {@code db/} (the mdb database),
 * {@code slapd.pid}, {@code slapd.args}, {@code slapadd.log}, {@code slapd.log} (slapd's stderr
 * over all its runs: {@code -d none} prints start, stop and errors only).
 *
 * <p>DIAGNOSTICS: every failure is an {@link IOException} whose message ends with the tail of
 * slapadd's or slapd's output (an invalid value, a port taken, a bad configuration line).
 *
 * <p>VALUES: slapadd is run with {@code -o value-check=yes}, so the database holds only what slapd
 * itself would accept over LDAP: {@code mail} and {@code rfc822MailMember} are IA5 strings, so any
 * ASCII text is taken ({@code u x@example.test}, {@code a@@b}, {@code @}, control characters) and
 * 8-bit text is refused ("value #0 invalid per syntax"). Without the option slapadd stores
 * anything.
 *
 * <p>LIMITS: slapd's defaults stay in force, as on a real server: a search returns at most 500
 * entries (then sizeLimitExceeded) to anyone but the administrator, and an anonymous request may be
 * at most 256 KiB long (a longer one closes the connection): an OR filter of 200 entryDN equalities
 * is about 10 KB.
 *
 * <p>BUGS: the process is destroyed by {@link #close} and, as a backstop, by a shutdown hook; a JVM
 * killed with SIGKILL runs neither, and leaves slapd running.
 */
public final class Slapd implements AutoCloseable {

    static final String SUFFIX = "dc=example,dc=test";
    private static final String ADMIN_DN = "cn=admin," + SUFFIX;
    private static final String ADMIN_PASSWORD = "listgate-test";
    private static final Path SLAPD = Path.of("/usr/sbin/slapd");
    private static final Path SCHEMAS = Path.of("/etc/ldap/schema");
    private static final Path MODULES = Path.of("/usr/lib/ldap");
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 5;

    private final Path dir;
    private final Path config;
    private final Path log;
    private final Duration loadTime;
    private final Thread shutdownHook;
    private volatile int port;
    private volatile Optional<Process> process = Optional.empty();
    private volatile Duration startTime = Duration.ZERO;

    private Slapd(Path dir, Path config, Duration loadTime) {
        this.dir = dir;
        this.config = config;
        this.log = dir.resolve("slapd.log");
        this.loadTime = loadTime;
        this.shutdownHook = new Thread(() -> process.ifPresent(Process::destroyForcibly), "slapd");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Whether slapd and slapadd are installed (Debian: {@code apt-get install slapd}). */
    public static boolean available() {
        return Files.isExecutable(SLAPD) && slapadd().isPresent();
    }

    /**
     * Configures a directory in {@code dir}, loads {@code ldif} into it with slapadd (it must hold
     * the suffix entry first: {@link DirectoryLdif#base()}), and starts slapd on a free loopback
     * port.
     */
    public static Slapd start(Path dir, String ldif) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("db"));
        Path config = Files.writeString(dir.resolve("slapd.conf"), configuration(dir));
        Path data = Files.writeString(dir.resolve("load.ldif"), ldif);
        long loadStart = System.nanoTime();
        load(dir, config, data);
        Slapd slapd = new Slapd(dir, config, Duration.ofNanos(System.nanoTime() - loadStart));
        try {
            slapd.launchOnAFreePort();
            return slapd;
        } catch (IOException | InterruptedException | RuntimeException e) {
            slapd.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** {@code ldap://127.0.0.1:PORT}. */
    public String url() {
        return "ldap://127.0.0.1:" + port;
    }

    public String baseDn() {
        return SUFFIX;
    }

    public String adminDn() {
        return ADMIN_DN;
    }

    public String adminPassword() {
        return ADMIN_PASSWORD;
    }

    /** How long slapadd took to load the LDIF. */
    public Duration loadTime() {
        return loadTime;
    }

    /** How long the last start took, from launching slapd until its port accepted a connection. */
    public Duration startTime() {
        return startTime;
    }

    /** Ends slapd (SIGTERM; SIGKILL after 10 s) and waits for it; the data stays for restart. */
    public synchronized void stop() {
        Optional<Process> running = process;
        process = Optional.empty();
        running.ifPresent(Slapd::end);
    }

    /** Stops slapd if it runs, then starts it again on the same port with the same data. */
    public synchronized void restart() throws IOException, InterruptedException {
        stop();
        if (!launch(port)) {
            throw failure("slapd could not listen on port " + port + " again", log);
        }
    }

    /** Stops slapd; the folder is left to its owner (JUnit's {@code @TempDir}). */
    @Override
    public synchronized void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs, or has run, anyway.
        }
    }

    private void launchOnAFreePort() throws IOException, InterruptedException {
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            // Another process may take the port between our probe and slapd's bind: try another.
            port = Loopback.freePort();
            if (launch(port)) {
                return;
            }
        }
        throw failure("slapd found no free port in " + PORT_ATTEMPTS + " attempts", log);
    }

    /**
     * Runs slapd on {@code port} and waits until it accepts a connection: true then, false when the
     * port was taken by someone else.
     */
    private synchronized boolean launch(int port) throws IOException, InterruptedException {
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        Path pidFile = dir.resolve("slapd.pid");
        Files.deleteIfExists(pidFile);
        long begin = System.nanoTime();
        // -d none: stay in the foreground (a child we can end) and print only start, stop and
        // errors; no -u/-g, so slapd keeps the current user, who owns the folder.
        Process started =
                new ProcessBuilder(
                                SLAPD.toString(),
                                "-h",
                                "ldap://127.0.0.1:" + port + "/",
                                "-f",
                                config.toString(),
                                "-d",
                                "none")
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        process = Optional.of(started);
        long deadline = begin + LISTEN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                process = Optional.empty();
                String output = tail(log, logStart);
                if (output.contains("errno=98")) {
                    return false;
                }
                throw failure(
                        "slapd exited with " + started.exitValue() + " before listening", output);
            }
            // The port accepting is not enough: whoever took it from slapd accepts too. slapd binds
            // first, writes its pid file and then listens; one that failed to bind writes none.
            if (Loopback.accepts(port) && wrote(pidFile, started)) {
                startTime = Duration.ofNanos(System.nanoTime() - begin);
                return true;
            }
            Thread.sleep(20);
        }
        stop();
        throw failure(
                "slapd did not listen on port " + port + " within " + LISTEN_TIMEOUT,
                tail(log, logStart));
    }

    private static void load(Path dir, Path config, Path data)
            throws IOException, InterruptedException {
        Path output = dir.resolve("slapadd.log");
        // value-check=yes: refuse what slapd would refuse over LDAP (slapadd's default is off).
        Process slapadd =
                new ProcessBuilder(
                                slapadd().orElseThrow().toString(),
                                "-f",
                                config.toString(),
                                "-l",
                                data.toString(),
                                "-o",
                                "value-check=yes")
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
        if (!slapadd.waitFor(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            end(slapadd);
            throw failure("slapadd did not finish within " + LOAD_TIMEOUT, output);
        }
        if (slapadd.exitValue() != 0) {
            throw failure("slapadd exited with " + slapadd.exitValue(), output);
        }
    }

    private static String configuration(Path dir) {
        StringBuilder conf = new StringBuilder();
        // rfc822MailMember is defined in misc (with nisMailAlias), not in nis.
        for (String schema : List.of("core", "cosine", "nis", "inetorgperson", "misc")) {
            conf.append("include ")
                    .append(quoted(SCHEMAS.resolve(schema + ".schema")))
                    .append('\n');
        }
        return conf.append("pidfile ")
                .append(quoted(dir.resolve("slapd.pid")))
                .append("\nargsfile ")
                .append(quoted(dir.resolve("slapd.args")))
                // Debian builds the backends as modules.
                .append("\nmodulepath ")
                .append(quoted(MODULES))
                .append("\nmoduleload back_mdb\n")
                .append("\ndatabase mdb\n")
                .append("suffix \"")
                .append(SUFFIX)
                .append("\"\nrootdn \"")
                .append(ADMIN_DN)
                .append("\"\nrootpw ")
                .append(ADMIN_PASSWORD)
                .append("\ndirectory ")
                .append(quoted(dir.resolve("db")))
                // mdb's map size is a ceiling, not a file size; the default (10 MiB) is too small
                // for 10,000 users and a 10,000-member group.
                .append("\nmaxsize 1073741824\n")
                // No fsync per write: slapadd would sync every entry (10,000 users: 10 s, not 1 s);
                // the folder is thrown away after the test.
                .append("dbnosync\n")
                .append("index objectClass eq\n")
                .append("index mail,uid,cn eq\n")
                .append("access to attrs=userPassword by anonymous auth by * none\n")
                .append("access to * by * read\n")
                .toString();
    }

    private static String quoted(Path path) {
        return "\"" + path.toAbsolutePath() + "\"";
    }

    private static Optional<Path> slapadd() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(":"))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, "slapadd"))
                .filter(Files::isExecutable)
                .findFirst()
                .or(() -> Optional.of(Path.of("/usr/sbin/slapadd")).filter(Files::isExecutable));
    }

    private static boolean wrote(Path pidFile, Process process) {
        try {
            return Files.readString(pidFile).strip().equals(Long.toString(process.pid()));
        } catch (IOException e) {
            return false;
        }
    }

    private static void end(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static IOException failure(String what, Path output) {
        return failure(what, tail(output, 0));
    }

    private static IOException failure(String what, String output) {
        return new IOException(what + ":\n" + output);
    }

    /** The last 2,000 characters written to {@code file} after byte {@code from}. */
    private static String tail(Path file, long from) {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(Math.min(from, Files.size(file)));
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
        } catch (IOException e) {
            return "(no output in " + file + ": " + e + ")";
        }
    }
}
