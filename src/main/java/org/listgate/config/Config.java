package org.listgate.config;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import org.listgate.address.Mailbox;

/**
 * The whole configuration, built once from the properties file by {@link ConfigLoader}. Every value
 * has been checked; paths are absolute (a relative path written in the file was taken from the
 * file's folder, a default one from the working directory). The defaults are those of the keys
 * ({@code Keys}); {@code defaults()} and the like give them as values.
 */
public record Config(
        Path source,
        Smtp smtp,
        List<String> domains,
        Path usersFile,
        Path listsFile,
        Path spoolDir,
        Maildir maildir,
        Path eventsFile,
        Limits limits,
        Optional<Relay> relay,
        List<String> faultInject,
        Delivery delivery,
        Queue queue,
        Guard guard,
        Content content,
        List<Cidr> relayNetworks,
        Optional<ServerTls> tls,
        Auth auth,
        Optional<Mailbox> postmasterAddress,
        Optional<Ldap> ldap,
        Optional<MetricsEndpoint> metrics) {

    public Config {
        domains = List.copyOf(domains);
        faultInject = List.copyOf(faultInject);
        relayNetworks = List.copyOf(relayNetworks);
    }

    /** The first of {@code domains}: the domain of list names. */
    public String primaryDomain() {
        return domains.get(0);
    }

    public Config withPort(int port) {
        return new Config(
                source,
                new Smtp(
                        smtp.bind(),
                        port,
                        smtp.hostname(),
                        smtp.idleTimeout(),
                        smtp.maxConnections(),
                        smtp.gatewayId()),
                domains,
                usersFile,
                listsFile,
                spoolDir,
                maildir,
                eventsFile,
                limits,
                relay,
                faultInject,
                delivery,
                queue,
                guard,
                content,
                relayNetworks,
                tls,
                auth,
                postmasterAddress,
                ldap,
                metrics);
    }

    /**
     * Local delivery: the Maildirs under {@code root} ({@code maildir.root}); {@code mode}, the
     * mode of each message file ({@code maildir.mode}: at least owner read and write, no execute or
     * special bits), and {@code group}, the group given to the files and to the folders listgate
     * creates ({@code maildir.group}, resolved once at start). Absent: as the process's umask and
     * group make them.
     */
    /** How a delivered copy is made durable ({@code maildir.sync}). */
    public enum MaildirSync {
        /** The copies written at the same time: one syncfs(2) for all of them. */
        SHARED,
        /** Each copy: its file forced, then its new/ folder. */
        EACH
    }

    public record Maildir(
            Path root,
            Optional<Set<PosixFilePermission>> mode,
            Optional<GroupPrincipal> group,
            MaildirSync sync) {

        public Maildir {
            mode = mode.map(Set::copyOf);
        }

        /** Under {@code root}, with the umask's mode and the process's group. */
        public Maildir(Path root) {
            this(root, Optional.empty(), Optional.empty(), MaildirSync.SHARED);
        }

        public Maildir(
                Path root,
                Optional<Set<PosixFilePermission>> mode,
                Optional<GroupPrincipal> group) {
            this(root, mode, group, MaildirSync.SHARED);
        }

        /**
         * The mode of a folder to match {@code mode}: its bits, and execute (search) wherever read
         * is set — {@code 0640} gives {@code 0750}, {@code 0660} gives {@code 0770}.
         */
        public Optional<Set<PosixFilePermission>> folderMode() {
            return mode.map(
                    file -> {
                        Set<PosixFilePermission> folder = EnumSet.noneOf(PosixFilePermission.class);
                        folder.addAll(file);
                        if (file.contains(PosixFilePermission.OWNER_READ)) {
                            folder.add(PosixFilePermission.OWNER_EXECUTE);
                        }
                        if (file.contains(PosixFilePermission.GROUP_READ)) {
                            folder.add(PosixFilePermission.GROUP_EXECUTE);
                        }
                        if (file.contains(PosixFilePermission.OTHERS_READ)) {
                            folder.add(PosixFilePermission.OTHERS_EXECUTE);
                        }
                        return Set.copyOf(folder);
                    });
        }
    }

    /** Where {@code /metrics} and {@code /health} are served ({@code metrics.*}). */
    public record MetricsEndpoint(InetAddress bind, int port) {}

    /** Where users and lists come from: the two files, or an LDAP directory. */
    public enum DirectoryType {
        FILES,
        LDAP
    }

    /**
     * An LDAP directory ({@code directory.type = ldap}): servers tried in order; a simple bind when
     * {@code bindDn} is set, with the password read from {@code password}; filters with {@code %s}
     * for the address; member attributes holding DNs, followed into nested groups; the attribute of
     * address-valued members; the owner's DN; a positive and negative cache; the connect and
     * operation timeout.
     */
    public record Ldap(
            List<String> urls,
            Optional<String> bindDn,
            Optional<String> password,
            String baseDn,
            String userFilter,
            String groupFilter,
            List<String> memberAttributes,
            String mailMemberAttribute,
            String ownerAttribute,
            Duration cacheTtl,
            Duration timeout) {

        public Ldap {
            urls = List.copyOf(urls);
            memberAttributes = List.copyOf(memberAttributes);
        }

        @Override
        public String toString() {
            // Never the password.
            return "Ldap" + urls + " " + baseDn;
        }
    }

    /**
     * The listener, and who this gateway is: {@code hostname} ({@code smtp.hostname}), the name in
     * its replies and in every event it logs, and {@code gatewayId} ({@code gateway.id}), one to
     * four upper-case hex digits that end each of its queue ids, so that the ids of several
     * gateways never meet.
     */
    public record Smtp(
            InetAddress bind,
            int port,
            String hostname,
            Duration idleTimeout,
            int maxConnections,
            String gatewayId) {

        /**
         * Four hex digits from a host name, the same on every start: its CRC-32, folded to 16 bits.
         * Two gateways named apart get the same id once in 65,536 pairs; {@code gateway.id} sets
         * one outright.
         */
        public static String gatewayIdOf(String hostname) {
            CRC32 crc = new CRC32();
            crc.update(hostname.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            long value = crc.getValue();
            return String.format(Locale.ROOT, "%04X", (value ^ (value >>> 16)) & 0xFFFF);
        }
    }

    public record Limits(int maxRecipients, long maxMessageBytes, int maxExpansion) {}

    /**
     * The smarthost for members outside the local domains. {@code tls}: {@code may} (STARTTLS when
     * offered, certificate not verified, as Postfix's {@code may}), {@code encrypt} (STARTTLS
     * required), {@code none}. {@code maxRecipients}: recipients per SMTP transaction; {@code
     * threads}: connections at once.
     */
    public record Relay(
            String host,
            int port,
            Tls tls,
            Duration connectTimeout,
            Duration timeout,
            int maxRecipients,
            int threads) {

        /** The smarthost at {@code host}, {@code port}, every other value its key's default. */
        public Relay(String host, int port) {
            this(
                    host,
                    port,
                    Keys.RELAY_TLS.defaultValue(),
                    Keys.RELAY_CONNECT_TIMEOUT.defaultValue(),
                    Keys.RELAY_TIMEOUT.defaultValue(),
                    Keys.RELAY_MAX_RECIPIENTS.defaultValue(),
                    Keys.RELAY_THREADS.defaultValue());
        }
    }

    /** STARTTLS towards the smarthost. */
    public enum Tls {
        MAY,
        ENCRYPT,
        NONE
    }

    /**
     * The queue: retry backoff from {@code retryInitial} doubling up to {@code retryMax}; {@code
     * maxLifetime}: a recipient still deferred after it fails with 4.4.7; {@code delayWarning}:
     * after it, the sender is told of a delay (zero: never); {@code minFreeBytes}: below it new
     * mail is refused with 452 4.3.1; {@code groupCommit}: concurrent acceptances share directory
     * fsyncs.
     */
    public record Queue(
            Duration retryInitial,
            Duration retryMax,
            Duration maxLifetime,
            Duration delayWarning,
            long minFreeBytes,
            boolean groupCommit) {}

    /**
     * {@code lmtp}: where local recipients go instead of Maildirs ({@code delivery.lmtp}); empty:
     * Maildirs under {@code maildir.root}.
     */
    public record Delivery(int threads, Duration directoryPoll, Optional<Lmtp> lmtp) {

        /** Local delivery to Maildirs. */
        public Delivery(int threads, Duration directoryPoll) {
            this(threads, directoryPoll, Optional.empty());
        }
    }

    /**
     * A mailbox server that takes mail over LMTP (RFC 2033): {@code host} and {@code port}, or a
     * UNIX-domain {@code socket}; {@code timeout} for connecting and for each reply.
     */
    public record Lmtp(Optional<String> host, int port, Optional<Path> socket, Duration timeout) {

        /** As written in {@code delivery.lmtp}: {@code lmtp://host:port} or the socket's path. */
        @Override
        public String toString() {
            return socket.map(Path::toString)
                    .orElseGet(() -> "lmtp://" + host.orElse("") + ":" + port);
        }
    }

    /**
     * What one client may do (Postfix's names in brackets). {@code commandTimeout}: a command line
     * must arrive whole within it once begun, and DATA within it plus one second per {@code
     * minDataRate} bytes [smtpd_per_record_deadline, smtpd_min_data_rate]; {@code
     * maxConnectionsPerClient} [smtpd_client_connection_count_limit] counts an IPv6 client by its
     * /64; {@code connectionRate}, {@code messageRate}: per client and minute, 0 for no limit
     * [smtpd_client_connection_rate_limit, smtpd_client_message_rate_limit]; past {@code
     * softErrorLimit} errors each reply waits {@code errorDelay}, at {@code hardErrorLimit} the
     * session is closed [smtpd_soft_error_limit, smtpd_hard_error_limit]; NOOP, RSET, HELP, VRFY
     * and EXPN beyond {@code junkCommandLimit} count as errors [smtpd_junk_command_limit].
     */
    public record Guard(
            Duration commandTimeout,
            long minDataRate,
            int maxConnectionsPerClient,
            int connectionRate,
            int messageRate,
            int softErrorLimit,
            int hardErrorLimit,
            Duration errorDelay,
            int junkCommandLimit) {}

    /** What the text of DATA must be: see {@code smtp.bareLineEnds} and {@code smtp.longLines}. */
    public record Content(
            BareLineEnds bareLineEnds, LongLines longLines, int maxHeaderBytes, int maxHops) {

        /** Every value its key's default. */
        public static Content defaults() {
            return new Content(
                    Keys.BARE_LINE_ENDS.defaultValue(),
                    Keys.LONG_LINES.defaultValue(),
                    Keys.MAX_HEADER_BYTES.defaultValue(),
                    Keys.MAX_HOPS.defaultValue());
        }
    }

    /**
     * A bare CR, a bare LF or a NUL in DATA: refused (550 5.5.2) or made into CRLF (NUL removed).
     */
    public enum BareLineEnds {
        REJECT,
        NORMALIZE
    }

    /** A DATA line over 998 octets (RFC 5321 §4.5.3.1.6): folded, or the message refused. */
    public enum LongLines {
        FOLD,
        REJECT
    }

    /** STARTTLS: the server's key and certificate; {@code required}: no MAIL before STARTTLS. */
    public record ServerTls(Path keystore, String password, boolean required) {}

    /**
     * SMTP AUTH: {@code passwordFile} (Dovecot passwd-file style lines {@code user:{SCHEME}hash});
     * {@code allowPlaintext}: offered without TLS too; {@code maxFailures}: failed attempts per
     * client within {@code failureWindow} before AUTH is refused outright.
     */
    public record Auth(
            Optional<Path> passwordFile,
            boolean allowPlaintext,
            int maxFailures,
            Duration failureWindow) {

        /** No password file (no AUTH), every other value its key's default. */
        public static Auth none() {
            return new Auth(
                    Optional.empty(),
                    Keys.AUTH_ALLOW_PLAINTEXT.defaultValue(),
                    Keys.AUTH_MAX_FAILURES.defaultValue(),
                    Keys.AUTH_FAILURE_WINDOW.defaultValue());
        }
    }
}
