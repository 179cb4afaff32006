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
        Delivery delivery) {

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
                eventsFile, limits, relay, faultInject, delivery);
    }

    public record Smtp(InetAddress bind, int port, String hostname, Duration idleTimeout, int maxConnections) {}

    public record Limits(int maxRecipients, long maxMessageBytes, int maxExpansion) {}

    public record Relay(String host, int port) {}

    public record Delivery(int threads, Duration directoryPoll) {}
}
