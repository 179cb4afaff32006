package org.listgate.directory;

import com.unboundid.ldap.sdk.LDAPException;
import java.time.Duration;
import java.time.Instant;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;

/**
 * Whether the directory is down, told once a transition: 3014 when the first lookup fails (with the
 * server's answer), 1003 when a lookup succeeds again (with when the outage began, how long it
 * lasted and how many lookups failed in it). Lookups during an outage only count.
 */
final class Outage {

    private final String servers;
    private final EventLog events;
    private final Duration holdOff;
    private Instant since;
    private long failed;
    private long quietUntil;
    private String lastReason = "";

    /**
     * {@code holdOff}: after a lookup that timed out, further lookups fail at once for this long
     * rather than each waiting out the timeout again (a server that accepts connections and never
     * answers would otherwise hold every RCPT for the whole timeout).
     */
    Outage(String servers, EventLog events, Duration holdOff) {
        this.servers = servers;
        this.events = events;
        this.holdOff = holdOff;
    }

    /** Throws at once while holding off after a timeout; otherwise the lookup may go ahead. */
    void checkHoldOff() throws DirectoryUnavailable {
        synchronized (this) {
            if (since == null || System.nanoTime() - quietUntil >= 0) {
                return;
            }
            failed++;
        }
        throw new DirectoryUnavailable("directory unavailable: " + lastReason, null);
    }

    /** A lookup failed: the exception to throw, after 3014 if this begins an outage. */
    DirectoryUnavailable down(LDAPException cause) {
        String reason = cause.getResultCode().getName() + ": " + detail(cause);
        synchronized (this) {
            failed++;
            lastReason = reason;
            if (com.unboundid.ldap.sdk.ResultCode.TIMEOUT.equals(cause.getResultCode())) {
                quietUntil = System.nanoTime() + holdOff.toNanos();
            }
            if (since == null) {
                since = Instant.now();
                events.emit(
                        Event.of(EventId.DIRECTORY_UNAVAILABLE)
                                .with("servers", servers)
                                .with(Event.STATUS, "4.4.3")
                                .with(Event.REASON, reason));
            }
        }
        return new DirectoryUnavailable("directory unavailable: " + reason, cause);
    }

    /** What the server said, or the innermost cause (a refused connection): one short line. */
    private static String detail(LDAPException cause) {
        if (cause.getDiagnosticMessage() != null && !cause.getDiagnosticMessage().isBlank()) {
            return cause.getDiagnosticMessage();
        }
        Throwable inner = cause;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        if (inner == cause) {
            return cause.getExceptionMessage(false, false);
        }
        return inner.getClass().getSimpleName() + ": " + inner.getMessage();
    }

    synchronized boolean isDown() {
        return since != null;
    }

    /** A lookup succeeded: 1003 if that ends an outage. */
    void up() {
        Instant began;
        long lookups;
        synchronized (this) {
            if (since == null) {
                return;
            }
            began = since;
            lookups = failed;
            since = null;
            failed = 0;
        }
        events.emit(
                Event.of(EventId.DIRECTORY_AVAILABLE)
                        .with("servers", servers)
                        .with("since", began.toString())
                        .with("seconds", Duration.between(began, Instant.now()).toSeconds())
                        .with("failedLookups", lookups));
    }
}
