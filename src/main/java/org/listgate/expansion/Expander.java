package org.listgate.expansion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.listgate.address.KeySet;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.address.Route;
import org.listgate.address.Status;
import org.listgate.directory.Directory;
import org.listgate.directory.DirectoryUnavailable;
import org.listgate.directory.Entry;
import org.listgate.directory.Member;
import org.listgate.events.Event;
import org.listgate.events.Fates;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;

/**
 * Expands a message's accepted recipients into the mailboxes that get it.
 *
 * <p>Iterative (an explicit stack, never recursion, so no list can exhaust the thread's stack),
 * loop-safe (a list is expanded at most once per message: met again, it is skipped), de-duplicated
 * (a mailbox already included is skipped; {@link Mailbox#key()} folds case), capped at {@code
 * limits.maxExpansion} targets (members past the cap are isolated with 5.5.3, never dropped
 * silently), and linear in the number of members. Each member is handled inside the recipient
 * boundary: a fault while handling one (real or injected) isolates that member with 5.3.0 and the
 * expansion goes on.
 *
 * <p>A list the message has already been through — its header section holds a {@code Delivered-To}
 * naming the list, as every copy a list sends out does — is not expanded again: the message came
 * back through a member that forwards it (a mail loop, as Postfix's local(8) detects one). That
 * list is isolated with 5.4.6 and its members get nothing; every other recipient is unaffected.
 *
 * <p>A directory that cannot answer ({@link DirectoryUnavailable}) ends the whole expansion with
 * that exception, not a fault: nobody is isolated for it, and the caller tries again later.
 */
public final class Expander {

    /** The most lists a target's path names (see {@link Expansion.Target#lists()}). */
    static final int MAX_LISTS_CARRIED = 10;

    /** The origin of a RCPT: it is written in no list. */
    private static final String NO_ORIGIN = "";

    /** What stands for the queue id in a fault's 9001 during {@link #check}. */
    private static final String CHECK = "check";

    private final Directory directory;
    private final int maxExpansion;
    private final boolean relayConfigured;
    private final FaultInjector faults;
    private final Boundary boundary;

    public Expander(
            Directory directory,
            int maxExpansion,
            boolean relayConfigured,
            FaultInjector faults,
            Boundary boundary) {
        this.directory = directory;
        this.maxExpansion = maxExpansion;
        this.relayConfigured = relayConfigured;
        this.faults = faults;
        this.boundary = boundary;
    }

    /** Expands {@code recipients} (the accepted RCPTs) of message {@code queueId}. */
    public Expansion expand(String queueId, List<Mailbox> recipients) throws DirectoryUnavailable {
        return expand(queueId, recipients, Set.of());
    }

    /**
     * Expands {@code recipients} (the accepted RCPTs) of message {@code queueId}, which has already
     * been through the lists in {@code deliveredTo}: the {@link Mailbox#key()} of each address its
     * {@code Delivered-To} fields name. Such a list is isolated as a loop (5.4.6).
     */
    public Expansion expand(String queueId, List<Mailbox> recipients, Set<String> deliveredTo)
            throws DirectoryUnavailable {
        Run run = new Run(queueId, Set.copyOf(deliveredTo), Skips.NONE);
        for (Mailbox recipient : recipients) {
            run.member(rcpt(recipient), null);
            run.drain();
        }
        return run.result();
    }

    /**
     * Expands {@code list} as a message sent to it alone would be — same lookups, same statuses,
     * same cap — and also records every member skipped as a loop or a duplicate ({@link
     * Expansion#skipped()}), with where it was met first: what {@code listgate lists check}
     * reports. Nothing is sent and nothing is written; a fault while handling a member isolates it
     * with 5.3.0 here too.
     */
    public Expansion check(Mailbox list) throws DirectoryUnavailable {
        Run run = new Run(CHECK, Set.of(), Skips.recording());
        run.member(rcpt(list), null);
        run.drain();
        return run.result();
    }

    /**
     * The lists down to {@code name} nested in the last of {@code lists}: all of them up to {@link
     * #MAX_LISTS_CARRIED}; past that, the outermost ones and {@code name}. A path, and so the
     * Delivered-To fields of a copy and its journal record, stays short however deep the nesting (a
     * list 10,000 deep must not cost 10,000 fields for each of its members). A loop through a list
     * left out is still found a time round later: a copy keeps the Delivered-To fields it arrived
     * with, and gains those of the lists it goes through again.
     */
    private static List<String> within(List<String> lists, String name) {
        List<String> inner =
                new ArrayList<>(lists.subList(0, Math.min(lists.size(), MAX_LISTS_CARRIED - 1)));
        inner.add(name);
        return List.copyOf(inner);
    }

    /** A RCPT as the member of no list: written nowhere, so its origin is empty. */
    private static Member rcpt(Mailbox recipient) {
        return new Member(recipient.address(), new ParseResult.Valid(recipient), NO_ORIGIN);
    }

    /** A member's origin as a value: none for a RCPT. */
    static Optional<String> origin(String origin) {
        return origin.isEmpty() ? Optional.empty() : Optional.of(origin);
    }

    /**
     * The state of one expansion.
     *
     * <p>What it costs a member is what a million-member list costs a million times, so the path of
     * a member allocates little besides what the result keeps (its target, or its isolation) and
     * the directory's answer: the list it belongs to is its frame's, made once a list; the
     * boundary's context, work and fault handler are made once a run and read the member being
     * handled from {@link #member} and {@link #frame}; the de-duplication's table is sized for a
     * list when it is met.
     */
    private final class Run {
        private final String queueId;
        private final Set<String> deliveredTo;
        private final ArrayList<Expansion.Target> targets = new ArrayList<>();
        private final List<Expansion.Isolated> isolated = new ArrayList<>();

        /** The keys of the mailboxes met so far (included, or isolated past the cap). */
        private final KeySet seen = new KeySet();

        /** The bad members isolated so far, as written, stripped and in lower case. */
        private final Set<String> isolatedSeen = new HashSet<>();

        private final Set<String> listsSeen = new HashSet<>();
        private final Map<String, int[]> listCounts = new LinkedHashMap<>();
        private final Deque<Frame> stack = new ArrayDeque<>();

        /** The loops and duplicates skipped: recorded for {@link #check} alone. */
        private final Skips skips;

        /** The member being handled. */
        private Member member;

        /** The frame of the list {@link #member} belongs to; null for a RCPT. */
        private Frame frame;

        // The boundary's context, work and fault handler, made once for the run: each reads the
        // member being handled from the two fields above.
        private final Supplier<Event> context = this::context;
        private final Boundary.IoWork<Void> work = this::work;
        private final Function<RuntimeException, Void> onFault = this::onFault;

        /**
         * A list being expanded: the lists down to it (outermost first, it last), its name as the
         * list its members belong to, its key, its members left, and its counts (members,
         * delivered, isolated). The stack of frames is the path from the outermost list down.
         */
        private static final class Frame {
            final List<String> lists;
            final Optional<String> list;
            final String key;
            final Iterator<Member> members;

            /** Members, delivered, isolated: the list's {@link Expansion.ListSummary}. */
            final int[] counts;

            Frame(
                    List<String> lists,
                    Optional<String> list,
                    String key,
                    Iterator<Member> members,
                    int[] counts) {
                this.lists = lists;
                this.list = list;
                this.key = key;
                this.members = members;
                this.counts = counts;
            }
        }

        Run(String queueId, Set<String> deliveredTo, Skips skips) {
            this.queueId = queueId;
            this.deliveredTo = deliveredTo;
            this.skips = skips;
        }

        /** The lists down to {@code frame}'s: none for a RCPT. */
        private static List<String> lists(Frame frame) {
            return frame == null ? List.of() : frame.lists;
        }

        /** The list a member of {@code frame} belongs to: none for a RCPT. */
        private static Optional<String> list(Frame frame) {
            return frame == null ? Optional.empty() : frame.list;
        }

        void drain() throws DirectoryUnavailable {
            while (!stack.isEmpty()) {
                Frame top = stack.peek();
                if (!top.members.hasNext()) {
                    stack.pop();
                    continue;
                }
                member(top.members.next(), top);
            }
        }

        /** One recipient: a RCPT ({@code frame} null), or a member of {@code frame}'s list. */
        void member(Member member, Frame frame) throws DirectoryUnavailable {
            this.member = member;
            this.frame = frame;
            try {
                boundary.guardIo(Boundary.Scope.RECIPIENT, context, work, onFault);
            } catch (DirectoryUnavailable e) {
                throw e;
            } catch (IOException e) {
                // Nothing else below throws an IOException.
                throw new UncheckedIOException(e);
            }
        }

        /** The 9001 context of {@link #member}: built only for a fault. */
        private Event context() {
            return Fates.faultAt(queueId, member.text(), list(frame), "expansion");
        }

        /** {@link #member}, handled inside the recipient boundary. */
        private Void work() throws DirectoryUnavailable {
            faults.check(FaultInjector.Stage.EXPANSION, member.text());
            resolve(member, frame);
            return null;
        }

        /** A fault while handling {@link #member} isolates that member with 5.3.0. */
        private Void onFault(RuntimeException fault) {
            isolate(
                    member,
                    frame,
                    Status.SYSTEM_ERROR,
                    "unexpected fault during expansion: " + fault.getClass().getSimpleName());
            return null;
        }

        private void resolve(Member member, Frame frame) throws DirectoryUnavailable {
            if (member.parsed() instanceof ParseResult.Invalid invalid) {
                isolate(member, frame, invalid.status(), invalid.reason());
            } else if (member.parsed() instanceof ParseResult.Valid valid) {
                resolve(valid.mailbox(), member, frame);
            } else {
                isolate(member, frame, Status.BAD_MAILBOX_SYNTAX, "not a mailbox");
            }
        }

        private void resolve(Mailbox mailbox, Member member, Frame frame)
                throws DirectoryUnavailable {
            if (!directory.isLocal(mailbox.domain())) {
                if (relayConfigured) {
                    target(mailbox, Route.RELAY, member, frame);
                } else {
                    isolate(member, frame, Status.NO_ROUTE, "non-local domain and no relay host");
                }
                return;
            }
            Optional<Entry> entry =
                    member.entry().isPresent() ? member.entry() : directory.lookup(mailbox);
            if (entry.isEmpty()) {
                isolate(member, frame, Status.BAD_MAILBOX, "unknown user");
            } else if (entry.get() instanceof Entry.User user) {
                target(user.mailbox(), Route.LOCAL, member, frame);
            } else if (entry.get() instanceof Entry.DistributionList nested) {
                expandList(nested, member, frame);
            } else {
                throw new AssertionError(entry.get());
            }
        }

        private void expandList(Entry.DistributionList nested, Member member, Frame frame) {
            String name = nested.address().address();
            String key = nested.address().key();
            // RFC 5321 §3.9: a list met again while expanding is a loop (or a duplicate); skip it.
            if (!listsSeen.add(key)) {
                skips.listAgain(name, key, member, list(frame), () -> pathFrom(key));
                return;
            }
            skips.first(key, member);
            if (deliveredTo.contains(key)) {
                // The message went out through this list before and has come back: expanding it
                // again would send every member one more copy each time round (RFC 9228 names
                // Delivered-To for loop detection; Postfix's local(8) does the same).
                isolate(
                        name,
                        member,
                        frame,
                        Status.ROUTING_LOOP,
                        "mail forwarding loop for " + name);
                return;
            }
            int size = nested.members().size();
            // members, delivered, isolated
            int[] counts = {size, 0, 0};
            listCounts.put(name, counts);
            // Room for every member at once, rather than tables grown (and copied) step by step.
            int room = (int) Math.min((long) targets.size() + size, maxExpansion);
            targets.ensureCapacity(room);
            seen.ensureCapacity(room);
            stack.push(
                    new Frame(
                            within(lists(frame), name),
                            Optional.of(name),
                            key,
                            nested.members().iterator(),
                            counts));
        }

        private void target(Mailbox mailbox, Route route, Member member, Frame frame) {
            String key = mailbox.key();
            if (!seen.add(key)) {
                skips.again(member.text(), list(frame), member, key, "already a recipient");
                return;
            }
            skips.first(key, member);
            if (targets.size() >= maxExpansion) {
                isolate(
                        member,
                        frame,
                        Status.TOO_MANY_RECIPIENTS_PERMANENT,
                        "expansion limit of " + maxExpansion + " recipients exceeded");
                return;
            }
            targets.add(new Expansion.Target(mailbox, route, lists(frame)));
            if (frame != null) {
                frame.counts[1]++;
            }
        }

        private void isolate(Member member, Frame frame, Status status, String reason) {
            isolate(member.text(), member, frame, status, reason);
        }

        /**
         * Isolates {@code text}, written as {@code member} (its origin) of {@code frame}'s list.
         */
        private void isolate(
                String text, Member member, Frame frame, Status status, String reason) {
            // The same bad member written twice is one recipient: one 4037, not two.
            String folded = text.strip().toLowerCase(java.util.Locale.ROOT);
            Optional<String> list = list(frame);
            if (!isolatedSeen.add(folded)) {
                skips.againIsolated(text, list, member, folded);
                return;
            }
            skips.firstIsolated(folded, member);
            isolated.add(
                    new Expansion.Isolated(text, list, status, reason, origin(member.origin())));
            if (frame != null) {
                frame.counts[2]++;
            }
        }

        /**
         * The lists being expanded from the one with {@code key} down to the innermost (their
         * names, outermost first); empty when that list is not being expanded. The stack of frames
         * is that path.
         */
        private List<String> pathFrom(String key) {
            List<String> path = new ArrayList<>();
            for (Iterator<Frame> frames = stack.descendingIterator(); frames.hasNext(); ) {
                Frame each = frames.next();
                if (!path.isEmpty() || each.key.equals(key)) {
                    path.add(each.list.orElseThrow());
                }
            }
            return path;
        }

        Expansion result() {
            List<Expansion.ListSummary> lists = new ArrayList<>();
            listCounts.forEach(
                    (name, counts) ->
                            lists.add(
                                    new Expansion.ListSummary(
                                            name, counts[0], counts[1], counts[2])));
            return new Expansion(targets, isolated, lists, skips.skipped());
        }
    }
}
