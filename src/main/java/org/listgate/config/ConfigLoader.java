package org.listgate.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;

/**
 * Reads {@code listgate.properties} into a {@link Config}. The keys, their defaults and how each is
 * read are declared in {@code Keys}; here they are put together, and the keys that depend on one
 * another are checked. Every error names the file and the key and is one line; unknown keys are
 * reported as warnings (a typo must not pass unnoticed, but a key from a newer release must not
 * stop an older one).
 */
public final class ConfigLoader {

    private final Path file;
    private final Properties properties;
    private final Consumer<String> warnings;

    private ConfigLoader(Path file, Properties properties, Consumer<String> warnings) {
        this.file = file;
        this.properties = properties;
        this.warnings = warnings;
    }

    /** Loads and checks {@code file}; unknown keys are passed to {@code warnings}. */
    public static Config load(Path file, Consumer<String> warnings) throws ConfigException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, "no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(file, "cannot be read: " + e.getMessage());
        }
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (!Keys.declared().containsKey(key)) {
                warnings.accept(file + ": " + key + ": unknown key, ignored");
            }
        }
        return new ConfigLoader(file, properties, warnings).build();
    }

    private Config build() throws ConfigException {
        List<String> domains = get(Keys.DOMAINS);
        String hostname = get(Keys.SMTP_HOSTNAME);
        String gatewayId = get(Keys.GATEWAY_ID);
        Config.Smtp smtp =
                new Config.Smtp(
                        get(Keys.SMTP_BIND),
                        get(Keys.SMTP_PORT),
                        hostname,
                        get(Keys.SMTP_IDLE_TIMEOUT),
                        get(Keys.SMTP_MAX_CONNECTIONS),
                        gatewayId.isEmpty() ? Config.Smtp.gatewayIdOf(hostname) : gatewayId);
        Config.Limits limits =
                new Config.Limits(
                        get(Keys.MAX_RECIPIENTS),
                        get(Keys.MAX_MESSAGE_BYTES),
                        get(Keys.MAX_EXPANSION));
        Optional<Config.Relay> relay = relay();
        List<String> faults = get(Keys.FAULT_INJECT);
        return new Config(
                file,
                smtp,
                domains,
                get(Keys.USERS_FILE),
                get(Keys.LISTS_FILE),
                get(Keys.SPOOL_DIR),
                new Config.Maildir(
                        get(Keys.MAILDIR_ROOT),
                        get(Keys.MAILDIR_MODE),
                        get(Keys.MAILDIR_GROUP),
                        get(Keys.MAILDIR_SYNC)),
                get(Keys.EVENTS_FILE),
                limits,
                relay,
                faults,
                new Config.Delivery(get(Keys.DELIVERY_THREADS), get(Keys.DIRECTORY_POLL), lmtp()),
                queue(),
                guard(),
                content(),
                get(Keys.RELAY_NETWORKS),
                serverTls(),
                auth(),
                postmaster(domains),
                ldap(),
                get(Keys.METRICS_PORT) == 0
                        ? Optional.empty()
                        : Optional.of(
                                new Config.MetricsEndpoint(
                                        get(Keys.METRICS_BIND), get(Keys.METRICS_PORT))));
    }

    /**
     * The LDAP keys are read only when {@code directory.type = ldap}. The password file is read
     * here; one readable by others than its owner is used, with a warning.
     */
    private Optional<Config.Ldap> ldap() throws ConfigException {
        if (get(Keys.DIRECTORY_TYPE) != Config.DirectoryType.LDAP) {
            return Optional.empty();
        }
        List<String> urls = get(Keys.LDAP_URLS);
        if (urls.isEmpty()) {
            throw invalid(Keys.LDAP_URLS, "required with directory.type = ldap");
        }
        String base = get(Keys.LDAP_BASE_DN);
        if (base.isEmpty()) {
            throw invalid(Keys.LDAP_BASE_DN, "required with directory.type = ldap");
        }
        String bindDn = get(Keys.LDAP_BIND_DN);
        Optional<Path> passwordFile = get(Keys.LDAP_PASSWORD_FILE);
        Optional<String> password = Optional.empty();
        if (passwordFile.isPresent()) {
            if (bindDn.isEmpty()) {
                throw invalid(Keys.LDAP_PASSWORD_FILE, "needs directory.ldap.bindDn");
            }
            password = Optional.of(secret(Keys.LDAP_PASSWORD_FILE, passwordFile.get()));
        } else if (!bindDn.isEmpty()) {
            throw invalid(Keys.LDAP_BIND_DN, "needs directory.ldap.passwordFile");
        }
        return Optional.of(
                new Config.Ldap(
                        urls,
                        bindDn.isEmpty() ? Optional.empty() : Optional.of(bindDn),
                        password,
                        base,
                        get(Keys.LDAP_USER_FILTER),
                        get(Keys.LDAP_GROUP_FILTER),
                        get(Keys.LDAP_MEMBER_ATTRIBUTES),
                        get(Keys.LDAP_MAIL_MEMBER_ATTRIBUTE),
                        get(Keys.LDAP_OWNER_ATTRIBUTE),
                        get(Keys.LDAP_CACHE_TTL),
                        get(Keys.LDAP_TIMEOUT)));
    }

    /** The first line of a secret file; a file others may read is warned of (mode 0600 wanted). */
    private String secret(Key<?> key, Path file) throws ConfigException {
        try {
            try {
                java.util.Set<java.nio.file.attribute.PosixFilePermission> mode =
                        Files.getPosixFilePermissions(file);
                mode.remove(java.nio.file.attribute.PosixFilePermission.OWNER_READ);
                mode.remove(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
                if (!mode.isEmpty()) {
                    warnings.accept(
                            file
                                    + ": readable or writable by others than its owner; chmod 600 it"
                                    + " ("
                                    + key.name()
                                    + ")");
                }
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: nothing to check.
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw invalid(key, "the password file " + file + " is empty");
            }
            return lines.get(0);
        } catch (IOException e) {
            throw invalid(key, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Checks that the users and lists files {@code config} names can be read, for a server about to
     * start: a directory file missing at start-up is a mistake (a wrong path, a service started in
     * another folder), not an empty directory that would refuse all mail. A file that goes missing
     * later is another matter: the server keeps the last copy it read.
     */
    public static void requireDirectoryFiles(Config config) throws ConfigException {
        if (config.ldap().isPresent()) {
            return;
        }
        for (Map.Entry<Key<Path>, Path> file :
                List.of(
                        Map.entry(Keys.USERS_FILE, config.usersFile()),
                        Map.entry(Keys.LISTS_FILE, config.listsFile()))) {
            Path path = file.getValue();
            String problem =
                    !Files.exists(path)
                            ? "no such file"
                            : Files.isDirectory(path)
                                    ? "is a folder, not a file"
                                    : !Files.isReadable(path) ? "cannot be read" : null;
            if (problem != null) {
                throw new ConfigException(
                        config.source(), file.getKey().name(), path + ": " + problem);
            }
        }
    }

    /**
     * {@code delivery.lmtp}: {@code lmtp://host:port} (the port may be left out: 24), or the
     * absolute path of a UNIX-domain socket; empty for Maildirs.
     */
    private Optional<Config.Lmtp> lmtp() throws ConfigException {
        String text = get(Keys.DELIVERY_LMTP).strip();
        java.time.Duration timeout = get(Keys.DELIVERY_LMTP_TIMEOUT);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.startsWith("/")) {
            return Optional.of(
                    new Config.Lmtp(Optional.empty(), 0, Optional.of(Path.of(text)), timeout));
        }
        java.util.regex.Matcher url =
                java.util.regex.Pattern.compile(
                                "lmtp://(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?/?")
                        .matcher(text);
        if (!url.matches()) {
            throw invalid(
                    Keys.DELIVERY_LMTP,
                    "expected lmtp://host:port or the absolute path of a socket, not '"
                            + text
                            + "'");
        }
        String host = url.group(1);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = url.group(2) == null ? 24 : Integer.parseInt(url.group(2));
        if (port < 1 || port > 65535) {
            throw invalid(Keys.DELIVERY_LMTP, "port " + port + " is not 1 to 65535");
        }
        return Optional.of(new Config.Lmtp(Optional.of(host), port, Optional.empty(), timeout));
    }

    /** The smarthost's keys are read only when {@code relay.host} names one. */
    private Optional<Config.Relay> relay() throws ConfigException {
        String host = get(Keys.RELAY_HOST);
        if (host.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new Config.Relay(
                        host,
                        get(Keys.RELAY_PORT),
                        get(Keys.RELAY_TLS),
                        get(Keys.RELAY_CONNECT_TIMEOUT),
                        get(Keys.RELAY_TIMEOUT),
                        get(Keys.RELAY_MAX_RECIPIENTS),
                        get(Keys.RELAY_THREADS)));
    }

    private Config.Guard guard() throws ConfigException {
        int soft = get(Keys.SOFT_ERROR_LIMIT);
        int hard = get(Keys.HARD_ERROR_LIMIT);
        if (hard < soft) {
            throw invalid(
                    Keys.HARD_ERROR_LIMIT,
                    "must not be lower than " + Keys.SOFT_ERROR_LIMIT.name());
        }
        return new Config.Guard(
                get(Keys.COMMAND_TIMEOUT),
                get(Keys.MIN_DATA_RATE),
                get(Keys.MAX_CONNECTIONS_PER_CLIENT),
                get(Keys.CLIENT_CONNECTION_RATE),
                get(Keys.CLIENT_MESSAGE_RATE),
                soft,
                hard,
                get(Keys.ERROR_DELAY),
                get(Keys.JUNK_COMMAND_LIMIT));
    }

    private Config.Content content() throws ConfigException {
        return new Config.Content(
                get(Keys.BARE_LINE_ENDS),
                get(Keys.LONG_LINES),
                get(Keys.MAX_HEADER_BYTES),
                get(Keys.MAX_HOPS));
    }

    private Config.Queue queue() throws ConfigException {
        Duration initial = get(Keys.RETRY_INITIAL);
        Duration max = get(Keys.RETRY_MAX);
        if (max.compareTo(initial) < 0) {
            throw invalid(Keys.RETRY_MAX, "must not be shorter than " + Keys.RETRY_INITIAL.name());
        }
        return new Config.Queue(
                initial,
                max,
                get(Keys.MAX_LIFETIME),
                get(Keys.DELAY_WARNING),
                get(Keys.MIN_FREE_BYTES),
                get(Keys.GROUP_COMMIT));
    }

    /**
     * STARTTLS is offered when {@code tls.keystore} is set; its password is given once, here or in
     * a file.
     */
    private Optional<Config.ServerTls> serverTls() throws ConfigException {
        Optional<Path> keystore = get(Keys.TLS_KEYSTORE);
        if (keystore.isEmpty()) {
            if (get(Keys.TLS_REQUIRED)) {
                throw invalid(Keys.TLS_REQUIRED, "needs " + Keys.TLS_KEYSTORE.name());
            }
            return Optional.empty();
        }
        Path store = readable(Keys.TLS_KEYSTORE, keystore.get());
        String password = get(Keys.TLS_PASSWORD);
        Optional<Path> passwordFile = get(Keys.TLS_PASSWORD_FILE);
        if (!password.isEmpty() && passwordFile.isPresent()) {
            throw invalid(
                    Keys.TLS_PASSWORD_FILE,
                    "give "
                            + Keys.TLS_PASSWORD.name()
                            + " or "
                            + Keys.TLS_PASSWORD_FILE.name()
                            + ", not both");
        }
        if (passwordFile.isPresent()) {
            try {
                password = Files.readString(passwordFile.get(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw invalid(Keys.TLS_PASSWORD_FILE, "cannot read " + passwordFile.get());
            }
        }
        return Optional.of(new Config.ServerTls(store, password, get(Keys.TLS_REQUIRED)));
    }

    private Config.Auth auth() throws ConfigException {
        Optional<Path> passwords = get(Keys.AUTH_PASSWORD_FILE);
        if (passwords.isPresent()) {
            readable(Keys.AUTH_PASSWORD_FILE, passwords.get());
        }
        return new Config.Auth(
                passwords,
                get(Keys.AUTH_ALLOW_PLAINTEXT),
                get(Keys.AUTH_MAX_FAILURES),
                get(Keys.AUTH_FAILURE_WINDOW));
    }

    /** The same parser as RCPT's: what it accepts here, mail can be delivered to. */
    private Optional<Mailbox> postmaster(List<String> domains) throws ConfigException {
        String address = get(Keys.POSTMASTER_ADDRESS);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        if (!(Addresses.parse(address) instanceof ParseResult.Valid valid)) {
            throw invalid(Keys.POSTMASTER_ADDRESS, "not a mailbox: '" + address + "'");
        }
        if (!domains.contains(valid.mailbox().domain().toLowerCase(Locale.ROOT))) {
            throw invalid(
                    Keys.POSTMASTER_ADDRESS,
                    "must be a local mailbox, in one of "
                            + Keys.DOMAINS.name()
                            + ", got '"
                            + address
                            + "'");
        }
        return Optional.of(valid.mailbox());
    }

    private <T> T get(Key<T> key) throws ConfigException {
        return key.in(properties, file);
    }

    private Path readable(Key<?> key, Path path) throws ConfigException {
        if (!Files.isReadable(path)) {
            throw invalid(key, "cannot read " + path);
        }
        return path;
    }

    private ConfigException invalid(Key<?> key, String problem) {
        return new ConfigException(file, key.name(), problem);
    }
}
