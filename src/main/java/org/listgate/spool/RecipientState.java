package org.listgate.spool;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Status;

/**
 * What has become of one recipient of a queued message, as the journal keeps it: a target of the
 * expansion (to be delivered locally or through the relay) or a member isolated at expansion, and
 * where it stands. Guarded by its message: the delivery core changes it only while holding the
 * message's lock, and writes each change to the {@link Journal}.
 */
public final class RecipientState {

    /** How the recipient is reached; {@code ISOLATED} ones never are. */
    public enum Route {
        LOCAL,
        RELAY,
        ISOLATED
    }

    /** PENDING: not tried yet. DEFERRED: to be tried again. DELIVERED and FAILED are final. */
    public enum State {
        PENDING,
        DEFERRED,
        DELIVERED,
        FAILED;

        public boolean isFinal() {
            return this == DELIVERED || this == FAILED;
        }
    }

    private final int index;
    private final String address;
    private final Route route;
    private final List<String> lists;
    private State state;
    private int attempts;
    private Instant retryAt = Instant.EPOCH;
    private Optional<Instant> lastAttempt = Optional.empty();
    private Status status;
    private String reason = "";
    private boolean reported;
    private boolean warned;

    /** A target of the expansion, not tried yet; {@code list}: the one list it came from, if any. */
    public static RecipientState target(int index, String address, Route route, Optional<String> list) {
        return target(index, address, route, list.map(List::of).orElse(List.of()));
    }

    /**
     * A target of the expansion, not tried yet, that came through {@code lists}: outermost first,
     * the list it is a member of last; empty for a recipient named at RCPT.
     */
    public static RecipientState target(int index, String address, Route route, List<String> lists) {
        if (route == Route.ISOLATED) {
            throw new IllegalArgumentException("a target has a route");
        }
        return new RecipientState(index, address, route, lists, State.PENDING, null, "");
    }

    /** A member isolated at expansion: failed from the start, never tried. */
    public static RecipientState isolated(int index, String written, Optional<String> list, Status status,
            String reason) {
        return new RecipientState(index, written, Route.ISOLATED, list.map(List::of).orElse(List.of()),
                State.FAILED, status, reason);
    }

    private RecipientState(int index, String address, Route route, List<String> lists, State state, Status status,
            String reason) {
        this.index = index;
        this.address = address;
        this.route = route;
        this.lists = List.copyOf(lists);
        this.state = state;
        this.status = status;
        this.reason = reason;
    }

    public int index() {
        return index;
    }

    /** The address: a valid mailbox for a target, the member as written for an isolated one. */
    public String address() {
        return address;
    }

    public Route route() {
        return route;
    }

    /** The list the recipient came from (the innermost, for a member of a nested list), if any. */
    public Optional<String> list() {
        return lists.isEmpty() ? Optional.empty() : Optional.of(lists.get(lists.size() - 1));
    }

    /**
     * The lists a target came through, outermost first, {@link #list()} last: what its copy's
     * {@code Delivered-To} fields name. Only {@link #list()} is known for an isolated member.
     */
    public List<String> lists() {
        return lists;
    }

    public State state() {
        return state;
    }

    public int attempts() {
        return attempts;
    }

    public Instant retryAt() {
        return retryAt;
    }

    public Optional<Instant> lastAttempt() {
        return lastAttempt;
    }

    /** The last status: 2.0.0 once delivered; empty before the first attempt. */
    public Optional<Status> status() {
        return Optional.ofNullable(status);
    }

    /** Why it failed or was deferred, last time. */
    public String reason() {
        return reason;
    }

    /** A failed recipient whose sender (or list owner) has been told, or will not be (null sender). */
    public boolean reported() {
        return reported;
    }

    /** A deferred recipient whose sender has been warned of the delay. */
    public boolean warned() {
        return warned;
    }

    public boolean isDue(Instant now) {
        return state == State.PENDING || state == State.DEFERRED && !retryAt.isAfter(now);
    }

    public void delivered(Instant when) {
        state = State.DELIVERED;
        status = Status.OK;
        reason = "";
        lastAttempt = Optional.of(when);
    }

    public void deferred(Instant when, int attemptCount, Instant nextTry, Status why, String text) {
        state = State.DEFERRED;
        attempts = attemptCount;
        retryAt = nextTry;
        status = why;
        reason = text;
        lastAttempt = Optional.of(when);
    }

    public void failed(Optional<Instant> when, Status why, String text) {
        state = State.FAILED;
        status = why;
        reason = text;
        when.ifPresent(at -> lastAttempt = Optional.of(at));
    }

    /** Makes a deferred recipient due now (queue flush). */
    public void retryNow() {
        if (state == State.DEFERRED) {
            retryAt = Instant.EPOCH;
        }
    }

    public void markReported() {
        reported = true;
    }

    public void markWarned() {
        warned = true;
    }

    @Override
    public String toString() {
        return index + " " + address + " " + state;
    }
}
