package org.listgate.client;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The servers a client tries in turn, as an MTA tries the MX hosts of a domain from the most
 * preferred: {@code --host mx1.example.net,mx2.example.net:2525,[::1]:25}, each with the default
 * port unless it names its own.
 */
public final class MxList {

    /** One server: a host (name or address, IPv6 without brackets) and a port. */
    public record Server(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private static final Pattern ITEM =
            Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");

    private MxList() {}

    /**
     * The servers of {@code text}, in order; throws {@code IllegalArgumentException} with a
     * one-line reason when an item is not {@code host} or {@code host:port}.
     */
    public static List<Server> parse(String text, int defaultPort) {
        List<Server> servers = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String trimmed = item.strip();
            Matcher matcher = ITEM.matcher(trimmed);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("not a host or host:port: '" + trimmed + "'");
            }
            String host = matcher.group(1);
            if (host.startsWith("[")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = matcher.group(2) == null ? defaultPort : Integer.parseInt(matcher.group(2));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(
                        "port " + port + " of '" + trimmed + "' is not 1 to 65535");
            }
            servers.add(new Server(host, port));
        }
        return List.copyOf(servers);
    }
}
