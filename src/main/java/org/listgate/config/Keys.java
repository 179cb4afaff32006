package org.listgate.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every key of {@code listgate.properties}, each declared once: its name, its default and its
 * reader, in the order of README's table. {@link ConfigLoader} reads them into a {@link Config}; a
 * key in the file that is not declared here is unknown. Keys checked against one another (the error
 * limits, the retry times, TLS and AUTH files, the postmaster's domain) are checked by the loader.
 * README's table documents the same names and defaults; {@code ConfigLoaderTest} checks that the
 * two agree.
 */
final class Keys {

    private static final Map<String, Key<?>> DECLARED = new LinkedHashMap<>();

    // ---- smtp: the listener ---------------------------------------------------------------------
    static final Key<InetAddress> SMTP_BIND = declare(Key.address("smtp.bind", "0.0.0.0"));
    static final Key<Integer> SMTP_PORT = declare(Key.integer("smtp.port", "25", 0, 65535));

    /** Blank: this host's name. */
    static final Key<String> SMTP_HOSTNAME =
            declare(
                    new Key<>(
                            "smtp.hostname", "", text -> text.isEmpty() ? localHostname() : text));

    /**
     * The gateway's own part of every queue id: one to four hex digits. Blank: four taken from
     * {@code smtp.hostname} (the loader derives them, {@link Config.Smtp#gatewayIdOf}).
     */
    static final Key<String> GATEWAY_ID =
            declare(
                    new Key<>(
                            "gateway.id",
                            "",
                            text -> {
                                if (!text.matches("[0-9A-Fa-f]{0,4}")) {
                                    throw new IllegalArgumentException(
                                            "must be one to four hex digits (0-9, A-F), not '"
                                                    + text
                                                    + "'");
                                }
                                return text.toUpperCase(Locale.ROOT);
                            }));

    static final Key<Duration> SMTP_IDLE_TIMEOUT = declare(Key.duration("smtp.idleTimeout", "5m"));
    static final Key<Integer> SMTP_MAX_CONNECTIONS =
            declare(Key.integer("smtp.maxConnections", "1000", 1, 100_000));

    // ---- smtp: what one client may do (Config.Guard) --------------------------------------------
    static final Key<Duration> COMMAND_TIMEOUT =
            declare(Key.positive("smtp.commandTimeout", "60s"));
    static final Key<Long> MIN_DATA_RATE =
            declare(Key.whole("smtp.minDataRate", "500", 0, Long.MAX_VALUE));
    static final Key<Integer> MAX_CONNECTIONS_PER_CLIENT =
            declare(Key.integer("smtp.maxConnectionsPerClient", "50", 1, 100_000));
    static final Key<Integer> CLIENT_CONNECTION_RATE =
            declare(Key.integer("smtp.clientConnectionRate", "0", 0, 1_000_000));
    static final Key<Integer> CLIENT_MESSAGE_RATE =
            declare(Key.integer("smtp.clientMessageRate", "0", 0, 1_000_000));
    static final Key<Integer> SOFT_ERROR_LIMIT =
            declare(Key.integer("smtp.softErrorLimit", "10", 1, 10_000));
    static final Key<Integer> HARD_ERROR_LIMIT =
            declare(Key.integer("smtp.hardErrorLimit", "20", 1, 10_000));
    static final Key<Duration> ERROR_DELAY = declare(Key.duration("smtp.errorDelay", "1s"));
    static final Key<Integer> JUNK_COMMAND_LIMIT =
            declare(Key.integer("smtp.junkCommandLimit", "100", 1, 1_000_000));

    // ---- smtp: what DATA must be (Config.Content) -----------------------------------------------
    static final Key<Config.BareLineEnds> BARE_LINE_ENDS =
            declare(
                    Key.choice(
                            "smtp.bareLineEnds",
                            "reject",
                            Config.BareLineEnds.class,
                            Map.of("normalise", Config.BareLineEnds.NORMALIZE)));
    static final Key<Config.LongLines> LONG_LINES =
            declare(Key.choice("smtp.longLines", "fold", Config.LongLines.class, Map.of()));
    static final Key<Integer> MAX_HEADER_BYTES =
            declare(Key.integer("limits.maxHeaderBytes", "102400", 1024, 64 * 1024 * 1024));
    static final Key<Integer> MAX_HOPS = declare(Key.integer("limits.maxHops", "50", 1, 1000));

    // ---- who may relay, STARTTLS, AUTH, postmaster ----------------------------------------------
    static final Key<List<Cidr>> RELAY_NETWORKS = declare(Key.list("relay.networks", Cidr::parse));
    static final Key<Optional<Path>> TLS_KEYSTORE = declare(Key.optionalPath("tls.keystore"));
    static final Key<String> TLS_PASSWORD = declare(Key.text("tls.password", ""));
    static final Key<Optional<Path>> TLS_PASSWORD_FILE =
            declare(Key.optionalPath("tls.passwordFile"));
    static final Key<Boolean> TLS_REQUIRED = declare(Key.bool("tls.required", "false"));
    static final Key<Optional<Path>> AUTH_PASSWORD_FILE =
            declare(Key.optionalPath("auth.passwordFile"));
    static final Key<Boolean> AUTH_ALLOW_PLAINTEXT =
            declare(Key.bool("auth.allowPlaintext", "false"));
    static final Key<Integer> AUTH_MAX_FAILURES =
            declare(Key.integer("auth.maxFailures", "5", 1, 1_000_000));
    static final Key<Duration> AUTH_FAILURE_WINDOW =
            declare(Key.positive("auth.failureWindow", "10m"));

    /**
     * Blank: not set (the directory's own postmaster applies); parsed by the loader, which knows
     * the domains.
     */
    static final Key<String> POSTMASTER_ADDRESS = declare(Key.text("postmaster.address", ""));

    // ---- domains, files -------------------------------------------------------------------------
    static final Key<List<String>> DOMAINS = declare(new Key<>("domains", "", Keys::domains));
    static final Key<Path> USERS_FILE = declare(Key.path("directory.users", "config/users"));
    static final Key<Path> LISTS_FILE = declare(Key.path("directory.lists", "config/lists"));
    static final Key<Duration> DIRECTORY_POLL =
            declare(Key.duration("directory.pollInterval", "2s"));

    // ---- directory: LDAP (read only when directory.type = ldap) ---------------------------------
    static final Key<Config.DirectoryType> DIRECTORY_TYPE =
            declare(Key.choice("directory.type", "files", Config.DirectoryType.class, Map.of()));
    static final Key<List<String>> LDAP_URLS =
            declare(Key.list("directory.ldap.urls", Keys::ldapUrl));
    static final Key<String> LDAP_BIND_DN = declare(Key.text("directory.ldap.bindDn", ""));
    static final Key<Optional<Path>> LDAP_PASSWORD_FILE =
            declare(Key.optionalPath("directory.ldap.passwordFile"));
    static final Key<String> LDAP_BASE_DN = declare(Key.text("directory.ldap.baseDn", ""));
    static final Key<String> LDAP_USER_FILTER =
            declare(
                    new Key<>(
                            "directory.ldap.userFilter",
                            "(&(objectClass=inetOrgPerson)(mail=%s))",
                            Keys::filter));
    static final Key<String> LDAP_GROUP_FILTER =
            declare(
                    new Key<>(
                            "directory.ldap.groupFilter",
                            "(&(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)"
                                    + "(objectClass=group))(mail=%s))",
                            Keys::filter));
    static final Key<List<String>> LDAP_MEMBER_ATTRIBUTES =
            declare(
                    new Key<>(
                            "directory.ldap.memberAttributes",
                            "member,uniqueMember",
                            text -> Key.items(text, Keys::attribute)));
    static final Key<String> LDAP_MAIL_MEMBER_ATTRIBUTE =
            declare(
                    new Key<>(
                            "directory.ldap.mailMemberAttribute",
                            "rfc822MailMember",
                            Keys::attribute));
    static final Key<String> LDAP_OWNER_ATTRIBUTE =
            declare(new Key<>("directory.ldap.ownerAttribute", "owner", Keys::attribute));
    static final Key<Duration> LDAP_CACHE_TTL =
            declare(Key.duration("directory.ldap.cacheTtl", "60s"));
    static final Key<Duration> LDAP_TIMEOUT = declare(Key.positive("directory.ldap.timeout", "5s"));

    // ---- metrics: /metrics and /health (off until metrics.port is set) -------------------------
    static final Key<InetAddress> METRICS_BIND = declare(Key.address("metrics.bind", "127.0.0.1"));
    static final Key<Integer> METRICS_PORT = declare(Key.integer("metrics.port", "0", 0, 65535));

    static final Key<Path> SPOOL_DIR = declare(Key.path("spool.dir", "data/spool"));
    static final Key<Path> MAILDIR_ROOT = declare(Key.path("maildir.root", "data/mail"));

    /** Blank: as the umask makes it (0644 under the usual 022). */
    static final Key<Optional<Set<PosixFilePermission>>> MAILDIR_MODE =
            declare(new Key<>("maildir.mode", "", Keys::fileMode));

    /** Blank: the process's own group. Looked up here, once, not at each delivery. */
    static final Key<Optional<GroupPrincipal>> MAILDIR_GROUP =
            declare(new Key<>("maildir.group", "", Keys::group));

    /**
     * shared: the copies written at the same time are made durable by one syncfs(2) of
     * maildir.root's file system (where it can be had); each: every copy forced on its own.
     */
    static final Key<Config.MaildirSync> MAILDIR_SYNC =
            declare(Key.choice("maildir.sync", "shared", Config.MaildirSync.class, Map.of()));

    static final Key<Path> EVENTS_FILE = declare(Key.path("events.file", "data/events.jsonl"));

    // ---- limits ---------------------------------------------------------------------------------
    // RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients.
    static final Key<Integer> MAX_RECIPIENTS =
            declare(Key.integer("limits.maxRecipients", "1000", 100, 1_000_000));
    static final Key<Long> MAX_MESSAGE_BYTES =
            declare(Key.whole("limits.maxMessageBytes", "10485760", 1024, Integer.MAX_VALUE));
    static final Key<Integer> MAX_EXPANSION =
            declare(Key.integer("limits.maxExpansion", "100000", 1, 10_000_000));

    // ---- relay: the smarthost (read only when relay.host is set) --------------------------------
    static final Key<String> RELAY_HOST = declare(Key.text("relay.host", ""));
    static final Key<Integer> RELAY_PORT = declare(Key.integer("relay.port", "25", 1, 65535));
    static final Key<Config.Tls> RELAY_TLS =
            declare(Key.choice("relay.tls", "may", Config.Tls.class, Map.of()));
    static final Key<Duration> RELAY_CONNECT_TIMEOUT =
            declare(Key.duration("relay.connectTimeout", "30s"));
    static final Key<Duration> RELAY_TIMEOUT = declare(Key.duration("relay.timeout", "5m"));
    static final Key<Integer> RELAY_MAX_RECIPIENTS =
            declare(Key.integer("relay.maxRecipients", "100", 1, 1000));
    static final Key<Integer> RELAY_THREADS = declare(Key.integer("relay.threads", "4", 1, 256));

    // ---- queue (Config.Queue) -------------------------------------------------------------------
    static final Key<Duration> RETRY_INITIAL = declare(Key.positive("queue.retry.initial", "60s"));
    static final Key<Duration> RETRY_MAX = declare(Key.positive("queue.retry.max", "1h"));
    static final Key<Duration> MAX_LIFETIME = declare(Key.positive("queue.maxLifetime", "5d"));
    static final Key<Duration> DELAY_WARNING = declare(Key.duration("queue.delayWarning", "0"));
    static final Key<Long> MIN_FREE_BYTES =
            declare(Key.whole("spool.minFreeBytes", "0", 0, Long.MAX_VALUE));
    static final Key<Boolean> GROUP_COMMIT = declare(Key.bool("spool.groupCommit", "true"));

    // ---- faults, delivery -----------------------------------------------------------------------
    static final Key<List<String>> FAULT_INJECT =
            declare(Key.list("fault.inject", Keys::faultRule));
    static final Key<Integer> DELIVERY_THREADS =
            declare(Key.integer("delivery.threads", "8", 1, 256));
    static final Key<String> DELIVERY_LMTP = declare(Key.text("delivery.lmtp", ""));
    static final Key<Duration> DELIVERY_LMTP_TIMEOUT =
            declare(Key.positive("delivery.lmtpTimeout", "5m"));

    private Keys() {}

    /** Every declared key, by name, in the order of declaration. */
    static Map<String, Key<?>> declared() {
        return Collections.unmodifiableMap(DECLARED);
    }

    private static <T> Key<T> declare(Key<T> key) {
        if (DECLARED.putIfAbsent(key.name(), key) != null) {
            throw new AssertionError("declared twice: " + key.name());
        }
        return key;
    }

    private static List<String> domains(String text) {
        List<String> domains =
                Key.items(
                        text,
                        domain -> {
                            if (!domain.matches(
                                    "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")) {
                                throw new IllegalArgumentException(
                                        "not a domain name: '" + domain + "'");
                            }
                            return domain.toLowerCase(Locale.ROOT);
                        });
        if (domains.isEmpty()) {
            throw new IllegalArgumentException(
                    "missing (the domains to accept mail for, comma-separated)");
        }
        return domains;
    }

    /**
     * An octal mode for a message file, {@code 0640} or {@code 640}: no bits beyond {@code 0777}
     * (no set-id or sticky bit), owner read and write (listgate writes the files, and the folders
     * take their write bits from it), no execute bit (a message is not a program; folders get
     * execute wherever read is set).
     */
    private static Optional<Set<PosixFilePermission>> fileMode(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!text.matches("[0-7]{1,6}")) {
            throw new IllegalArgumentException("not an octal mode like 0640: '" + text + "'");
        }
        int mode = Integer.parseInt(text, 8);
        if (mode > 0777) {
            throw new IllegalArgumentException(
                    "has bits beyond 0777 (set-id or sticky): '" + text + "'");
        }
        if ((mode & 0600) != 0600) {
            throw new IllegalArgumentException(
                    "the owner must be able to read and write (listgate writes the files): '"
                            + text
                            + "'");
        }
        if ((mode & 0111) != 0) {
            throw new IllegalArgumentException(
                    "has execute bits; a message is not a program (folders get x where r is"
                            + " set): '"
                            + text
                            + "'");
        }
        StringBuilder symbolic = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = mode >> shift;
            symbolic.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-');
            symbolic.append('-');
        }
        return Optional.of(PosixFilePermissions.fromString(symbolic.toString()));
    }

    /** A group name or a numeric gid, looked up in the system's group database. */
    private static Optional<GroupPrincipal> group(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!text.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?")) {
            throw new IllegalArgumentException("not a group name or gid: '" + text + "'");
        }
        try {
            return Optional.of(
                    FileSystems.getDefault()
                            .getUserPrincipalLookupService()
                            .lookupPrincipalByGroupName(text));
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException("no such group: '" + text + "'", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(
                    "cannot look up the group '" + text + "': " + e.getMessage(), e);
        }
    }

    /** {@code stage:glob}; the glob is {@code FaultInjector}'s to read. */
    private static String faultRule(String rule) {
        int colon = rule.indexOf(':');
        String stage = colon < 0 ? "" : rule.substring(0, colon);
        if (!List.of("expansion", "delivery", "spool").contains(stage)
                || colon == rule.length() - 1) {
            throw new IllegalArgumentException(
                    "expected stage:glob with stage expansion, delivery or spool (writes"
                            + " to the spool fail as on a full disk), got '"
                            + rule
                            + "'");
        }
        return rule;
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** An {@code ldap://} or {@code ldaps://} URL: scheme, host, optional port, nothing else. */
    private static String ldapUrl(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("ldap://") && !lower.startsWith("ldaps://")) {
            throw new IllegalArgumentException("not an ldap:// or ldaps:// URL: '" + text + "'");
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: '" + text + "'");
        }
        if (uri.getHost() == null
                || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
                || uri.getQuery() != null) {
            throw new IllegalArgumentException(
                    "an LDAP URL here is scheme://host[:port] only: '" + text + "'");
        }
        return text;
    }

    /** A search filter template: one {@code %s}, where the escaped address goes. */
    private static String filter(String text) {
        if (!text.contains("%s") || !text.startsWith("(") || !text.endsWith(")")) {
            throw new IllegalArgumentException(
                    "not a search filter with %s for the address: '" + text + "'");
        }
        try {
            com.unboundid.ldap.sdk.Filter.create(text.replace("%s", "x"));
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            throw new IllegalArgumentException(
                    "not a search filter: '" + text + "': " + e.getMessage());
        }
        return text;
    }

    /** An attribute description: letters, digits, hyphens (RFC 4512 descr). */
    private static String attribute(String text) {
        if (text.isEmpty()
                || !text.chars()
                        .allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-'))) {
            throw new IllegalArgumentException("not an attribute name: '" + text + "'");
        }
        return text;
    }
}
