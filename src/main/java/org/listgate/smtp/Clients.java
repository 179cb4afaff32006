package org.listgate.smtp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.listgate.config.Cidr;
import org.listgate.config.Config;

/**
 * What listgate remembers about each client address, as Postfix's anvil(8) does: connections open
 * now, connections and messages in the last minute, failed AUTH attempts, and how many refusals it
 * has logged. An IPv6 client is counted by its /64, the block one host usually holds. Clients in
 * {@code relay.networks} are trusted and not limited (Postfix's {@code
 * smtpd_client_event_limit_exceptions}).
 *
 * <p>The table forgets a client once it has no connection open and nothing within the last window;
 * once a minute a sweep looks at every entry, so it holds no more entries than there are clients
 * active in the last minutes, whether or not they come back. Refusals counted but not logged for a
 * client that has gone are handed to {@code unlogged} then (event 3012).
 */
final class Clients {

    private static final long MINUTE = 60_000_000_000L;

    /** Refusals logged per client and minute; past it they are counted and logged as one event. */
    static final int LOGGED_REFUSALS_PER_MINUTE = 100;

    /** The counters of one client key. */
    static final class Client {
        final String key;
        int open;
        final Deque<Long> connections = new ArrayDeque<>();
        final Deque<Long> messages = new ArrayDeque<>();
        final Deque<Long> authFailures = new ArrayDeque<>();
        long logWindowStart;
        int logged;
        int suppressed;

        Client(String key, long now) {
            this.key = key;
            this.logWindowStart = now - 2 * MINUTE;
        }
    }

    private final Config.Guard guard;
    private final Config.Auth auth;
    private final List<Cidr> trusted;
    private final int maxConnections;
    private final Map<String, Client> table = new ConcurrentHashMap<>();
    private final BiConsumer<String, Integer> unlogged;
    private int open;
    private long opened;
    private long refused;
    private final LongSupplier nanos;
    private long lastSweep;

    /** {@code unlogged}: told, with the client's key, of refusals it was not told of one by one. */
    Clients(
            Config.Guard guard,
            Config.Auth auth,
            List<Cidr> trusted,
            int maxConnections,
            BiConsumer<String, Integer> unlogged) {
        this(guard, auth, trusted, maxConnections, unlogged, System::nanoTime);
    }

    /** {@code nanos}: the clock the windows are measured by (a fixed one in tests). */
    Clients(
            Config.Guard guard,
            Config.Auth auth,
            List<Cidr> trusted,
            int maxConnections,
            BiConsumer<String, Integer> unlogged,
            LongSupplier nanos) {
        this.nanos = nanos;
        this.lastSweep = nanos.getAsLong();
        this.unlogged = unlogged;
        this.guard = guard;
        this.auth = auth;
        this.trusted = List.copyOf(trusted);
        this.maxConnections = maxConnections;
    }

    boolean isTrusted(InetAddress address) {
        for (Cidr network : trusted) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The address as counted: IPv4 as it is, IPv6 by its /64. */
    static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(bytes, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        return address instanceof Inet4Address ? address.getHostAddress() : String.valueOf(address);
    }

    /**
     * A new connection: empty if it may go on (then {@link #closed} must follow), else the reply
     * that refuses it.
     */
    synchronized java.util.Optional<Reply> open(InetAddress address) {
        java.util.Optional<Reply> refusal = admit(address);
        if (refusal.isPresent()) {
            refused++;
        } else {
            opened++;
        }
        return refusal;
    }

    /** Connections open now, accepted since the start, and refused for a limit. */
    record Counts(int open, long opened, long refused) {}

    synchronized Counts counts() {
        return new Counts(open, opened, refused);
    }

    private java.util.Optional<Reply> admit(InetAddress address) {
        if (open >= maxConnections) {
            return java.util.Optional.of(Reply.SERVER_FULL);
        }
        long now = nanos.getAsLong();
        if (now - lastSweep > MINUTE) {
            sweep(now);
        }
        boolean exempt = isTrusted(address);
        Client client =
                table.computeIfAbsent(key(address), key -> new Client(key, nanos.getAsLong()));
        expire(client.connections, now, MINUTE);
        if (!exempt && client.open >= guard.maxConnectionsPerClient()) {
            forgetIfIdle(client, now);
            return java.util.Optional.of(Reply.CLIENT_CONNECTIONS);
        }
        if (!exempt
                && guard.connectionRate() > 0
                && client.connections.size() >= guard.connectionRate()) {
            forgetIfIdle(client, now);
            return java.util.Optional.of(Reply.CLIENT_CONNECTION_RATE);
        }
        if (guard.connectionRate() > 0) {
            client.connections.addLast(now);
        }
        client.open++;
        open++;
        return java.util.Optional.empty();
    }

    synchronized void closed(InetAddress address) {
        Client client = table.get(key(address));
        open--;
        if (client != null) {
            client.open--;
            forgetIfIdle(client, nanos.getAsLong());
        }
    }

    /** MAIL from {@code address}: false when its message rate is used up. */
    synchronized boolean mayStartMessage(InetAddress address) {
        if (guard.messageRate() == 0 || isTrusted(address)) {
            return true;
        }
        Client client =
                table.computeIfAbsent(key(address), key -> new Client(key, nanos.getAsLong()));
        long now = nanos.getAsLong();
        expire(client.messages, now, MINUTE);
        if (client.messages.size() >= guard.messageRate()) {
            return false;
        }
        client.messages.addLast(now);
        return true;
    }

    /** Whether {@code address} has failed AUTH {@code auth.maxFailures} times within the window. */
    synchronized boolean authBlocked(InetAddress address) {
        Client client =
                table.computeIfAbsent(key(address), key -> new Client(key, nanos.getAsLong()));
        expire(client.authFailures, nanos.getAsLong(), auth.failureWindow().toNanos());
        return client.authFailures.size() >= auth.maxFailures();
    }

    synchronized void authFailed(InetAddress address) {
        Client client =
                table.computeIfAbsent(key(address), key -> new Client(key, nanos.getAsLong()));
        client.authFailures.addLast(nanos.getAsLong());
    }

    /**
     * Whether one more refusal from {@code address} may be logged. Past {@link
     * #LOGGED_REFUSALS_PER_MINUTE} in a minute it is counted instead; the count comes back once,
     * from {@link #takeSuppressed}, so one event can say how many were not logged.
     */
    synchronized boolean mayLogRefusal(InetAddress address) {
        Client client =
                table.computeIfAbsent(key(address), key -> new Client(key, nanos.getAsLong()));
        long now = nanos.getAsLong();
        if (now - client.logWindowStart > MINUTE) {
            client.logWindowStart = now;
            client.logged = 0;
        }
        if (client.logged < LOGGED_REFUSALS_PER_MINUTE) {
            client.logged++;
            return true;
        }
        client.suppressed++;
        return false;
    }

    /** The refusals of {@code address} counted but not logged since the last call. */
    synchronized int takeSuppressed(InetAddress address) {
        Client client = table.get(key(address));
        if (client == null) {
            return 0;
        }
        int suppressed = client.suppressed;
        client.suppressed = 0;
        return suppressed;
    }

    /** How many client keys the table holds now. */
    synchronized int remembered() {
        return table.size();
    }

    /** Forgets every client that has been idle for the last window. */
    private void sweep(long now) {
        lastSweep = now;
        for (Client client : List.copyOf(table.values())) {
            if (client.open == 0 && client.suppressed > 0 && now - client.logWindowStart > MINUTE) {
                unlogged.accept(client.key, client.suppressed);
                client.suppressed = 0;
            }
            forgetIfIdle(client, now);
        }
    }

    private void forgetIfIdle(Client client, long now) {
        expire(client.connections, now, MINUTE);
        expire(client.messages, now, MINUTE);
        expire(client.authFailures, now, auth.failureWindow().toNanos());
        if (client.open == 0
                && client.connections.isEmpty()
                && client.messages.isEmpty()
                && client.authFailures.isEmpty()
                && client.suppressed == 0
                && now - client.logWindowStart > MINUTE) {
            table.remove(client.key);
        }
    }

    private static void expire(Deque<Long> times, long now, long window) {
        while (!times.isEmpty() && now - times.peekFirst() > window) {
            times.removeFirst();
        }
    }
}
