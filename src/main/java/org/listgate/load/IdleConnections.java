package org.listgate.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Connections that get their banner and then say nothing, held open while the load runs: what a
 * gateway pays for clients that connect and wait. They are opened one by one, each waiting for its
 * 220: opened all at once, they would overflow the server's listen backlog, and a connection the
 * kernel completed with a SYN cookie is one the server never sees (the server speaks first, so
 * nobody retransmits). The first that gets no banner ends the opening.
 */
final class IdleConnections implements AutoCloseable {

    private final List<Session> sessions = new ArrayList<>();
    private final LoadReport.Idle opened;

    private IdleConnections(String host, int port, int wanted, Duration timeout) {
        long start = System.nanoTime();
        Optional<String> failure = Optional.empty();
        int banners = 0;
        for (int i = 0; i < wanted; i++) {
            try {
                Session session = Session.connect(host, port, timeout);
                sessions.add(session);
                Reply banner = session.reply();
                if (banner.code() != 220) {
                    failure = Optional.of("connection " + (i + 1) + ": banner " + banner.key());
                    break;
                }
                banners++;
            } catch (Session.Failure e) {
                failure = Optional.of("connection " + (i + 1) + ": " + e.getMessage());
                break;
            }
        }
        this.opened =
                new LoadReport.Idle(
                        wanted, banners, failure, (System.nanoTime() - start) / 1_000_000);
    }

    static IdleConnections open(String host, int port, int wanted, Duration timeout) {
        return new IdleConnections(host, port, wanted, timeout);
    }

    LoadReport.Idle opened() {
        return opened;
    }

    /** Closes them all, without QUIT: an idle client that goes away. */
    @Override
    public void close() {
        sessions.forEach(Session::close);
        sessions.clear();
    }
}
