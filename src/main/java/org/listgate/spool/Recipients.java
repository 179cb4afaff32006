package org.listgate.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Route;
import org.listgate.address.Status;

/**
 * The recipients of one queued message and their journal: the one owner of their state. Each change
 * is one call that changes the {@link RecipientState} and appends its {@link JournalRecord}, so
 * what is in memory and what is on disk cannot drift apart; reading the journal back applies the
 * same records in the same way.
 *
 * <p>An append is written at once and forced by {@link #sync()} (group commit shares the force
 * among messages). A change whose record cannot be written (a full disk) stays made in memory and
 * the {@code IOException} is thrown: the worst a crash can then cost is a duplicate delivery.
 *
 * <p>Thread safety: every method locks the object.
 */
public final class Recipients implements AutoCloseable {

    private final String queueId;
    private final List<RecipientState> states;
    private final Journal journal;

    private Recipients(String queueId, List<RecipientState> states, Journal journal) {
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i).index() != i) {
                throw new IllegalArgumentException(
                        "recipient " + i + " has index " + states.get(i).index());
            }
        }
        this.queueId = queueId;
        this.states = List.copyOf(states);
        this.journal = journal;
    }

    /**
     * Recipients up to which a message delivered only locally keeps its new journal in memory
     * through its first round. Most mail is finished in that round, and then its journal never
     * needs a file: one file created, written and removed less a message. A crash in that round
     * costs a duplicate for the few recipients already delivered, never a loss; a larger list, or a
     * round that may wait on a remote server, keeps its journal on disk from the start.
     */
    static final int DEFERRED_JOURNAL_LIMIT = 16;

    /**
     * Starts the journal of a message just expanded: written whole, not forced — or, for a few
     * local recipients, kept in memory until the first {@link #sync()} ({@link
     * #DEFERRED_JOURNAL_LIMIT}). Until a sync puts it on disk a crash may take it, and the message
     * is then expanded again at the next start: a duplicate for the recipients already delivered,
     * never a loss. The message itself was forced before its 250.
     */
    static Recipients create(
            Path file,
            String queueId,
            List<RecipientState> states,
            GroupCommit commits,
            boolean localIsQuick)
            throws IOException {
        Recipients recipients = new Recipients(queueId, states, new Journal(file, commits));
        if (localIsQuick
                && states.size() <= DEFERRED_JOURNAL_LIMIT
                && states.stream()
                        .allMatch(state -> state.isolated() || state.route() == Route.LOCAL)) {
            recipients.journal.createDeferred(recipients.records());
        } else {
            recipients.journal.create(recipients.records());
        }
        return recipients;
    }

    /**
     * The recipients a journal's records describe (as {@link Journal#read} returns them), to be
     * appended to; empty when the expansion never completed.
     */
    static Optional<Recipients> restore(
            Path file, String queueId, List<JournalRecord> records, GroupCommit commits)
            throws QueueFile.CorruptException {
        List<RecipientState> states = new ArrayList<>();
        boolean expanded = false;
        for (int n = 0; n < records.size(); n++) {
            try {
                expanded = apply(states, expanded, records.get(n));
            } catch (RuntimeException e) { // isolation: misplaced: corruption (3006)
                // (3006)
                throw Journal.unreadable(n + 2, e);
            }
        }
        return expanded
                ? Optional.of(new Recipients(queueId, states, new Journal(file, commits)))
                : Optional.empty();
    }

    /** Applies one record read back; returns whether the expansion is complete after it. */
    private static boolean apply(
            List<RecipientState> states, boolean expanded, JournalRecord record) {
        if (!expanded) {
            if (record instanceof JournalRecord.Target t) {
                states.add(
                        RecipientState.target(
                                next(states, t.index()), t.mailbox(), t.route(), t.lists()));
            } else if (record instanceof JournalRecord.Isolated i) {
                states.add(
                        RecipientState.isolated(
                                next(states, i.index()),
                                i.written(),
                                i.list(),
                                i.status(),
                                i.reason()));
            } else if (record instanceof JournalRecord.Expanded) {
                return true;
            } else {
                throw new IllegalArgumentException("record before the expansion is complete");
            }
            return false;
        }
        if (record instanceof JournalRecord.Delivered d) {
            states.get(d.index()).delivered(d.at());
        } else if (record instanceof JournalRecord.Deferred r) {
            states.get(r.index())
                    .deferred(
                            r.at().orElse(Instant.EPOCH),
                            r.attempts(),
                            r.retryAt(),
                            r.status(),
                            r.reason());
        } else if (record instanceof JournalRecord.Failed f) {
            states.get(f.index()).failed(f.at(), f.status(), f.reason());
        } else if (record instanceof JournalRecord.Reported p) {
            p.indexes().forEach(index -> states.get(index).markReported());
        } else if (record instanceof JournalRecord.Warned w) {
            w.indexes().forEach(index -> states.get(index).markWarned());
        } else if (record instanceof JournalRecord.FlushRequested) {
            states.forEach(RecipientState::retryNow);
        } else {
            throw new IllegalArgumentException("a recipient declared after the expansion");
        }
        return true;
    }

    private static int next(List<RecipientState> states, int index) {
        if (index != states.size()) {
            throw new IllegalArgumentException("recipients out of order");
        }
        return index;
    }

    public String queueId() {
        return queueId;
    }

    /** Every recipient, in journal order; read them while holding this object's lock. */
    public List<RecipientState> all() {
        return states;
    }

    public synchronized void delivered(RecipientState recipient, Instant when) throws IOException {
        journal.append(own(recipient).delivered(when));
    }

    public synchronized void deferred(
            RecipientState recipient,
            Instant when,
            int attempts,
            Instant retryAt,
            Status status,
            String reason)
            throws IOException {
        journal.append(own(recipient).deferred(when, attempts, retryAt, status, reason));
    }

    public synchronized void failed(
            RecipientState recipient, Instant when, Status status, String reason)
            throws IOException {
        journal.append(own(recipient).failed(Optional.of(when), status, reason));
    }

    /** The failed {@code recipients}' report is queued (or is not due). */
    public synchronized void reported(Collection<RecipientState> recipients) throws IOException {
        recipients.forEach(recipient -> own(recipient).markReported());
        journal.append(
                new JournalRecord.Reported(
                        recipients.stream().map(RecipientState::index).toList()));
    }

    /** The deferred {@code recipients}' sender has been warned of the delay. */
    public synchronized void warned(Collection<RecipientState> recipients) throws IOException {
        recipients.forEach(recipient -> own(recipient).markWarned());
        journal.append(
                new JournalRecord.Warned(recipients.stream().map(RecipientState::index).toList()));
    }

    /** Makes every deferred recipient due now, in memory: a flush asked of the running server. */
    public synchronized void retryNow() {
        states.forEach(RecipientState::retryNow);
    }

    /** How many recipients stand where: every one is counted once. */
    public record Tally(int delivered, int failed, int isolated, int unfinished) {}

    public synchronized Tally tally() {
        int delivered = 0;
        int failed = 0;
        int isolated = 0;
        int unfinished = 0;
        for (RecipientState recipient : states) {
            if (recipient.state() == RecipientState.State.DELIVERED) {
                delivered++;
            } else if (recipient.isolated()) {
                isolated++;
            } else if (recipient.state().isFinal()) {
                failed++;
            } else {
                unfinished++;
            }
        }
        return new Tally(delivered, failed, isolated, unfinished);
    }

    /** Every recipient is delivered or has failed. */
    public synchronized boolean allFinal() {
        return states.stream().allMatch(recipient -> recipient.state().isFinal());
    }

    /** Forces what was appended; a journal kept in memory so far is written first. */
    public void sync() throws IOException {
        journal.sync();
    }

    /**
     * Writes the journal whole from the state when it has grown past twice its recipients (and a
     * hundred): a long-deferred message must not grow its file by a record a round for days.
     */
    public synchronized void compact() throws IOException {
        if (journal.appended() > 2 * states.size() + 100) {
            rewrite();
        }
    }

    /** Records appended since the journal was last written whole. */
    synchronized int appended() {
        return journal.appended();
    }

    /** Writes the journal whole from the state: tmp, force, rename. */
    synchronized void rewrite() throws IOException {
        journal.rewrite(records());
    }

    /** The journal that describes the state as it is: what {@link #rewrite} writes. */
    private List<JournalRecord> records() {
        List<JournalRecord> records = new ArrayList<>();
        records.add(new JournalRecord.Header(queueId));
        states.forEach(recipient -> records.add(recipient.declaration()));
        records.add(new JournalRecord.Expanded());
        states.forEach(recipient -> recipient.standing().ifPresent(records::add));
        List<Integer> reported =
                states.stream()
                        .filter(RecipientState::reported)
                        .map(RecipientState::index)
                        .toList();
        if (!reported.isEmpty()) {
            records.add(new JournalRecord.Reported(reported));
        }
        List<Integer> warned =
                states.stream().filter(RecipientState::warned).map(RecipientState::index).toList();
        if (!warned.isEmpty()) {
            records.add(new JournalRecord.Warned(warned));
        }
        return records;
    }

    /** Closes the journal file; the next change opens it again. */
    @Override
    public void close() {
        journal.close();
    }

    private RecipientState own(RecipientState recipient) {
        if (recipient.index() >= states.size() || states.get(recipient.index()) != recipient) {
            throw new IllegalArgumentException("not a recipient of " + queueId + ": " + recipient);
        }
        return recipient;
    }
}
