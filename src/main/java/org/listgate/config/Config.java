package org.listgate.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The whole configuration, built once from the properties file by {@link ConfigLoader}. Every
 * value has been checked; paths are resolved against the working directory.
 */
public record Config(
        Path source,
        Smtp smtp,
        List<String> domains,
        Path usersFile,
        Path listsFile,
        Path spoolDir,
        Path maildirRoot,
        Path eventsFile,
        Limits limits,
        Optional<Relay> relay,
        List<String> faultInject,
        Delivery delivery,
        Queue queue) {

    public Config {
        domains = List.copyOf(domains);
        faultInject = List.copyOf(faultInject);
    }

    /** The first of {@code domains}: the domain of list names. */
    public String primaryDomain() {
        return domains.get(0);
    }

    public Config withPort(int port) {
        return new Config(source, new Smtp(smtp.bind(), port, smtp.hostname(), smtp.idleTimeout(),
                smtp.maxConnections()), domains, usersFile, listsFile, spoolDir, maildirRoot,
                eventsFile, limits, relay, faultInject, delivery, queue);
    }

    public record Smtp(InetAddress bind, int port, String hostname, Duration idleTimeout, int maxConnections) {}

    public record Limits(int maxRecipients, long maxMessageBytes, int maxExpansion) {}

    /**
     * The smarthost for members outside the local domains. {@code tls}: {@code may} (STARTTLS when
     * offered, certificate not verified, as Postfix's {@code may}), {@code encrypt} (STARTTLS
     * required), {@code none}. {@code maxRecipients}: recipients per SMTP transaction;
     * {@code threads}: connections at once.
     */
    public record Relay(String host, int port, Tls tls, Duration connectTimeout, Duration timeout,
            int maxRecipients, int threads) {

        public Relay(String host, int port) {
            this(host, port, Tls.MAY, Duration.ofSeconds(30), Duration.ofMinutes(5), 100, 4);
        }
    }

    /** STARTTLS towards the smarthost. */
    public enum Tls {
        MAY,
        ENCRYPT,
        NONE
    }

    /**
     * The queue: retry backoff from {@code retryInitial} doubling up to {@code retryMax};
     * {@code maxLifetime}: a recipient still deferred after it fails with 4.4.7;
     * {@code delayWarning}: after it, the sender is told of a delay (zero: never);
     * {@code minFreeBytes}: below it new mail is refused with 452 4.3.1;
     * {@code groupCommit}: concurrent acceptances share directory fsyncs.
     */
    public record Queue(Duration retryInitial, Duration retryMax, Duration maxLifetime, Duration delayWarning,
            long minFreeBytes, boolean groupCommit) {

        public static Queue defaults() {
            return new Queue(Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofDays(5), Duration.ZERO,
                    0, true);
        }
    }

    public record Delivery(int threads, Duration directoryPoll) {}
}
