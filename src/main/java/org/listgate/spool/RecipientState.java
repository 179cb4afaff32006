package org.listgate.spool;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Mailbox;
import org.listgate.address.Route;
import org.listgate.address.Status;

/**
 * What has become of one recipient of a queued message: a target of the expansion (a mailbox to be
 * delivered locally or through the relay) or a member isolated at expansion, and where it stands.
 * Read by anyone; changed only by its {@link Recipients}, which writes each change to the message's
 * journal in the same call.
 */
public final class RecipientState {

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
    private final Optional<Mailbox> mailbox;
    private final String address;
    private final Optional<Route> route;
    private final List<String> lists;
    private State state;
    private int attempts;
    private Instant retryAt = Instant.EPOCH;
    private Optional<Instant> lastAttempt = Optional.empty();
    private Optional<Status> status;
    private String reason = "";
    private boolean reported;
    private boolean warned;

    /**
     * A target of the expansion, not tried yet, that came through {@code lists}: outermost first,
     * the list it is a member of last; empty for a recipient named at RCPT.
     */
    public static RecipientState target(
            int index, Mailbox mailbox, Route route, List<String> lists) {
        return new RecipientState(
                index,
                Optional.of(mailbox),
                mailbox.address(),
                Optional.of(route),
                lists,
                State.PENDING,
                Optional.empty(),
                "");
    }

    /** A member isolated at expansion: failed from the start, never tried. */
    public static RecipientState isolated(
            int index, String written, Optional<String> list, Status status, String reason) {
        return new RecipientState(
                index,
                Optional.empty(),
                written,
                Optional.empty(),
                list.map(List::of).orElse(List.of()),
                State.FAILED,
                Optional.of(status),
                reason);
    }

    private RecipientState(
            int index,
            Optional<Mailbox> mailbox,
            String address,
            Optional<Route> route,
            List<String> lists,
            State state,
            Optional<Status> status,
            String reason) {
        this.index = index;
        this.mailbox = mailbox;
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

    /** A target's mailbox. */
    public Mailbox mailbox() {
        return mailbox.orElseThrow(
                () -> new IllegalStateException("an isolated member has no mailbox"));
    }

    /** The address: a target's mailbox, or the member as written for an isolated one. */
    public String address() {
        return address;
    }

    /** Isolated at expansion: never tried, failed from the start. */
    public boolean isolated() {
        return route.isEmpty();
    }

    /** How a target is reached. */
    public Route route() {
        return route.orElseThrow(
                () -> new IllegalStateException("an isolated member has no route"));
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
        return status;
    }

    /** Why it failed or was deferred, last time. */
    public String reason() {
        return reason;
    }

    /**
     * A failed recipient whose sender (or list owner) has been told, or will not be (null sender).
     */
    public boolean reported() {
        return reported;
    }

    /** A deferred recipient whose sender has been warned of the delay. */
    public boolean warned() {
        return warned;
    }

    /** A target not tried yet, or deferred and its time has come. */
    public boolean isDue(Instant now) {
        return !isolated()
                && (state == State.PENDING || (state == State.DEFERRED && !retryAt.isAfter(now)));
    }

    // ---- changes: Recipients only, each with its journal record ---------------------------------

    JournalRecord.Delivered delivered(Instant when) {
        state = State.DELIVERED;
        status = Optional.of(Status.OK);
        reason = "";
        lastAttempt = Optional.of(when);
        return new JournalRecord.Delivered(index, when);
    }

    JournalRecord.Deferred deferred(
            Instant when, int attemptCount, Instant nextTry, Status why, String text) {
        state = State.DEFERRED;
        attempts = attemptCount;
        retryAt = nextTry;
        status = Optional.of(why);
        reason = text;
        lastAttempt = Optional.of(when);
        return new JournalRecord.Deferred(index, attempts, retryAt, lastAttempt, why, reason);
    }

    JournalRecord.Failed failed(Optional<Instant> when, Status why, String text) {
        state = State.FAILED;
        status = Optional.of(why);
        reason = text;
        when.ifPresent(at -> lastAttempt = Optional.of(at));
        return new JournalRecord.Failed(index, why, lastAttempt, reason);
    }

    /** Makes a deferred recipient due now (queue flush). */
    void retryNow() {
        if (state == State.DEFERRED) {
            retryAt = Instant.EPOCH;
        }
    }

    void markReported() {
        reported = true;
    }

    void markWarned() {
        warned = true;
    }

    /** The record that states what this recipient is: its Target or Isolated line. */
    JournalRecord declaration() {
        return isolated()
                ? new JournalRecord.Isolated(index, address, list(), status.orElseThrow(), reason)
                : new JournalRecord.Target(index, route(), mailbox(), lists);
    }

    /** The record that states where a recipient stands now, if anywhere past the declaration. */
    Optional<JournalRecord> standing() {
        return switch (state) {
            case DELIVERED ->
                    Optional.of(new JournalRecord.Delivered(index, lastAttempt.orElseThrow()));
            case DEFERRED ->
                    Optional.of(
                            new JournalRecord.Deferred(
                                    index,
                                    attempts,
                                    retryAt,
                                    lastAttempt,
                                    status.orElseThrow(),
                                    reason));
            case FAILED ->
                    isolated()
                            ? Optional.empty()
                            : Optional.of(
                                    new JournalRecord.Failed(
                                            index, status.orElseThrow(), lastAttempt, reason));
            case PENDING -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return index + " " + address + " " + state;
    }
}
