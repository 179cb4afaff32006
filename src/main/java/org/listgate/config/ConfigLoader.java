package org.listgate.config;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;

/**
 * Reads {@code listgate.properties} into a {@link Config}. Every error names the file and the key
 * and is one line; unknown keys are reported as warnings (a typo must not pass unnoticed, but a
 * key from a newer release must not stop an older one).
 */
public final class ConfigLoader {

    static final Set<String> KNOWN_KEYS = Set.of(
            "smtp.bind", "smtp.port", "smtp.hostname", "smtp.idleTimeout", "smtp.maxConnections",
            "domains", "directory.users", "directory.lists", "directory.pollInterval",
            "spool.dir", "maildir.root", "events.file",
            "limits.maxRecipients", "limits.maxMessageBytes", "limits.maxExpansion",
            "relay.host", "relay.port", "relay.tls", "relay.connectTimeout", "relay.timeout",
            "relay.maxRecipients", "relay.threads", "fault.inject", "delivery.threads",
            "queue.retry.initial", "queue.retry.max", "queue.maxLifetime", "queue.delayWarning",
            "spool.minFreeBytes", "spool.groupCommit",
            "smtp.commandTimeout", "smtp.minDataRate", "smtp.maxConnectionsPerClient", "smtp.clientConnectionRate",
            "smtp.clientMessageRate", "smtp.softErrorLimit", "smtp.hardErrorLimit", "smtp.errorDelay",
            "smtp.junkCommandLimit", "smtp.bareLineEnds", "smtp.longLines", "limits.maxHeaderBytes",
            "limits.maxHops", "relay.networks", "tls.keystore", "tls.password", "tls.passwordFile",
            "tls.required", "auth.passwordFile", "auth.allowPlaintext", "auth.maxFailures", "auth.failureWindow",
            "postmaster.address");

    private final Path file;
    private final Properties properties;

    private ConfigLoader(Path file, Properties properties) {
        this.file = file;
        this.properties = properties;
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
            if (!KNOWN_KEYS.contains(key)) {
                warnings.accept(file + ": " + key + ": unknown key, ignored");
            }
        }
        return new ConfigLoader(file, properties).build();
    }

    private Config build() throws ConfigException {
        List<String> domains = domains();
        Config.Smtp smtp = new Config.Smtp(
                address("smtp.bind", "0.0.0.0"),
                integer("smtp.port", 25, 0, 65535),
                string("smtp.hostname", defaultHostname()),
                duration("smtp.idleTimeout", Duration.ofMinutes(5)),
                integer("smtp.maxConnections", 1000, 1, 100_000));
        Config.Limits limits = new Config.Limits(
                // RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients.
                integer("limits.maxRecipients", 1000, 100, 1_000_000),
                longValue("limits.maxMessageBytes", 10_485_760L, 1024, Integer.MAX_VALUE),
                integer("limits.maxExpansion", 100_000, 1, 10_000_000));
        Optional<Config.Relay> relay = Optional.empty();
        String relayHost = string("relay.host", "");
        if (!relayHost.isEmpty()) {
            relay = Optional.of(new Config.Relay(relayHost, integer("relay.port", 25, 1, 65535), tls(),
                    duration("relay.connectTimeout", Duration.ofSeconds(30)),
                    duration("relay.timeout", Duration.ofMinutes(5)),
                    integer("relay.maxRecipients", 100, 1, 1000),
                    integer("relay.threads", 4, 1, 256)));
        }
        List<String> faults = new ArrayList<>();
        for (String rule : list("fault.inject")) {
            int colon = rule.indexOf(':');
            String stage = colon < 0 ? "" : rule.substring(0, colon);
            if (!List.of("expansion", "delivery", "spool").contains(stage) || colon == rule.length() - 1) {
                throw new ConfigException(file, "fault.inject", "expected stage:glob with stage expansion, delivery"
                        + " or spool (writes to the spool fail as on a full disk), got '" + rule + "'");
            }
            faults.add(rule);
        }
        return new Config(
                file,
                smtp,
                domains,
                path("directory.users", "config/users"),
                path("directory.lists", "config/lists"),
                path("spool.dir", "data/spool"),
                path("maildir.root", "data/mail"),
                path("events.file", "data/events.jsonl"),
                limits,
                relay,
                faults,
                new Config.Delivery(
                        integer("delivery.threads", 8, 1, 256),
                        duration("directory.pollInterval", Duration.ofSeconds(2))),
                queue(),
                guard(),
                content(),
                relayNetworks(),
                serverTls(),
                auth(),
                postmaster(domains));
    }

    private Config.Guard guard() throws ConfigException {
        Config.Guard defaults = Config.Guard.defaults();
        int soft = integer("smtp.softErrorLimit", defaults.softErrorLimit(), 1, 10_000);
        int hard = integer("smtp.hardErrorLimit", defaults.hardErrorLimit(), 1, 10_000);
        if (hard < soft) {
            throw new ConfigException(file, "smtp.hardErrorLimit", "must not be lower than smtp.softErrorLimit");
        }
        return new Config.Guard(
                positive("smtp.commandTimeout", defaults.commandTimeout()),
                longValue("smtp.minDataRate", defaults.minDataRate(), 0, Long.MAX_VALUE),
                integer("smtp.maxConnectionsPerClient", defaults.maxConnectionsPerClient(), 1, 100_000),
                integer("smtp.clientConnectionRate", defaults.connectionRate(), 0, 1_000_000),
                integer("smtp.clientMessageRate", defaults.messageRate(), 0, 1_000_000),
                soft,
                hard,
                duration("smtp.errorDelay", defaults.errorDelay()),
                integer("smtp.junkCommandLimit", defaults.junkCommandLimit(), 1, 1_000_000));
    }

    private Config.Content content() throws ConfigException {
        Config.Content defaults = Config.Content.defaults();
        String bare = string("smtp.bareLineEnds", "reject").toLowerCase(Locale.ROOT);
        Config.BareLineEnds bareLineEnds = switch (bare) {
            case "reject" -> Config.BareLineEnds.REJECT;
            case "normalize", "normalise" -> Config.BareLineEnds.NORMALIZE;
            default -> throw new ConfigException(file, "smtp.bareLineEnds", "expected reject or normalize, got '"
                    + bare + "'");
        };
        String lines = string("smtp.longLines", "fold").toLowerCase(Locale.ROOT);
        Config.LongLines longLines = switch (lines) {
            case "fold" -> Config.LongLines.FOLD;
            case "reject" -> Config.LongLines.REJECT;
            default -> throw new ConfigException(file, "smtp.longLines", "expected fold or reject, got '" + lines + "'");
        };
        return new Config.Content(bareLineEnds, longLines,
                integer("limits.maxHeaderBytes", defaults.maxHeaderBytes(), 1024, 64 * 1024 * 1024),
                integer("limits.maxHops", defaults.maxHops(), 1, 1000));
    }

    private List<Cidr> relayNetworks() throws ConfigException {
        List<Cidr> networks = new ArrayList<>();
        for (String network : list("relay.networks")) {
            try {
                networks.add(Cidr.parse(network));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, "relay.networks", e.getMessage());
            }
        }
        return networks;
    }

    private Optional<Config.ServerTls> serverTls() throws ConfigException {
        String keystore = string("tls.keystore", "");
        if (keystore.isEmpty()) {
            if (bool("tls.required", false)) {
                throw new ConfigException(file, "tls.required", "needs tls.keystore");
            }
            return Optional.empty();
        }
        Path store = path("tls.keystore", keystore);
        if (!Files.isReadable(store)) {
            throw new ConfigException(file, "tls.keystore", "cannot read " + store);
        }
        String password = string("tls.password", "");
        String passwordFile = string("tls.passwordFile", "");
        if (!password.isEmpty() && !passwordFile.isEmpty()) {
            throw new ConfigException(file, "tls.passwordFile", "give tls.password or tls.passwordFile, not both");
        }
        if (!passwordFile.isEmpty()) {
            Path secret = path("tls.passwordFile", passwordFile);
            try {
                password = Files.readString(secret, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException(file, "tls.passwordFile", "cannot read " + secret);
            }
        }
        return Optional.of(new Config.ServerTls(store, password, bool("tls.required", false)));
    }

    private Config.Auth auth() throws ConfigException {
        Config.Auth defaults = Config.Auth.none();
        Optional<Path> passwords = Optional.empty();
        if (!string("auth.passwordFile", "").isEmpty()) {
            Path path = path("auth.passwordFile", "");
            if (!Files.isReadable(path)) {
                throw new ConfigException(file, "auth.passwordFile", "cannot read " + path);
            }
            passwords = Optional.of(path);
        }
        return new Config.Auth(passwords, bool("auth.allowPlaintext", defaults.allowPlaintext()),
                integer("auth.maxFailures", defaults.maxFailures(), 1, 1_000_000),
                positive("auth.failureWindow", defaults.failureWindow()));
    }

    /** The same parser as RCPT's: what it accepts here, mail can be delivered to. */
    private Optional<Mailbox> postmaster(List<String> domains) throws ConfigException {
        String address = string("postmaster.address", "");
        if (address.isEmpty()) {
            return Optional.empty();
        }
        if (!(Addresses.parse(address) instanceof ParseResult.Valid valid)) {
            throw new ConfigException(file, "postmaster.address", "not a mailbox: '" + address + "'");
        }
        if (!domains.contains(valid.mailbox().domain().toLowerCase(Locale.ROOT))) {
            throw new ConfigException(file, "postmaster.address", "must be a local mailbox, in one of domains, got '"
                    + address + "'");
        }
        return Optional.of(valid.mailbox());
    }

    private Config.Queue queue() throws ConfigException {
        Config.Queue defaults = Config.Queue.defaults();
        Duration initial = positive("queue.retry.initial", defaults.retryInitial());
        Duration max = positive("queue.retry.max", defaults.retryMax());
        if (max.compareTo(initial) < 0) {
            throw new ConfigException(file, "queue.retry.max", "must not be shorter than queue.retry.initial");
        }
        return new Config.Queue(initial, max,
                positive("queue.maxLifetime", defaults.maxLifetime()),
                duration("queue.delayWarning", defaults.delayWarning()),
                longValue("spool.minFreeBytes", defaults.minFreeBytes(), 0, Long.MAX_VALUE),
                bool("spool.groupCommit", defaults.groupCommit()));
    }

    private Config.Tls tls() throws ConfigException {
        String value = string("relay.tls", "may").toLowerCase(Locale.ROOT);
        return switch (value) {
            case "may" -> Config.Tls.MAY;
            case "encrypt" -> Config.Tls.ENCRYPT;
            case "none" -> Config.Tls.NONE;
            default -> throw new ConfigException(file, "relay.tls", "expected may, encrypt or none, got '" + value + "'");
        };
    }

    private Duration positive(String key, Duration fallback) throws ConfigException {
        Duration value = duration(key, fallback);
        if (value.isZero() || value.isNegative()) {
            throw new ConfigException(file, key, "must be longer than zero");
        }
        return value;
    }

    private boolean bool(String key, boolean fallback) throws ConfigException {
        String value = string(key, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(file, key, "expected true or false, got '" + value + "'");
        };
    }

    private List<String> domains() throws ConfigException {
        List<String> domains = new ArrayList<>();
        for (String domain : list("domains")) {
            if (!domain.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")) {
                throw new ConfigException(file, "domains", "not a domain name: '" + domain + "'");
            }
            domains.add(domain.toLowerCase(Locale.ROOT));
        }
        if (domains.isEmpty()) {
            throw new ConfigException(file, "domains", "missing (the domains to accept mail for, comma-separated)");
        }
        return domains;
    }

    private List<String> list(String key) {
        List<String> values = new ArrayList<>();
        for (String part : properties.getProperty(key, "").split(",")) {
            if (!part.isBlank()) {
                values.add(part.trim());
            }
        }
        return values;
    }

    private String string(String key, String fallback) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private Path path(String key, String fallback) {
        return Path.of(string(key, fallback)).toAbsolutePath().normalize();
    }

    private int integer(String key, int fallback, int min, int max) throws ConfigException {
        return (int) longValue(key, fallback, min, max);
    }

    private long longValue(String key, long fallback, long min, long max) throws ConfigException {
        String value = string(key, "");
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                throw new ConfigException(file, key, "must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(file, key, "not a whole number: '" + value + "'");
        }
    }

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 5d}, or ISO-8601 {@code PT30S}. */
    private Duration duration(String key, Duration fallback) throws ConfigException {
        String value = string(key, "");
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, key, e.getMessage());
        }
    }

    private InetAddress address(String key, String fallback) throws ConfigException {
        String value = string(key, fallback);
        if (!value.matches("[0-9A-Fa-f.:]+")) {
            throw new ConfigException(file, key, "not an IP address: '" + value + "'");
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new ConfigException(file, key, "not an IP address: '" + value + "'");
        }
    }

    private static String defaultHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
