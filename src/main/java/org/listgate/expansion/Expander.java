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
import java.util.function.Supplier;
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
            run.member(rcpt(recipient), List.of());
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
        run.member(rcpt(list), List.of());
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

    /** The list a member of {@code lists} (outermost first) belongs to: the last. */
    private static Optional<String> innermost(List<String> lists) {
        return lists.isEmpty() ? Optional.empty() : Optional.of(lists.get(lists.size() - 1));
    }

    /** The state of one expansion. */
    private final class Run {
        private final String queueId;
        private final Set<String> deliveredTo;
        private final List<Expansion.Target> targets = new ArrayList<>();
        private final List<Expansion.Isolated> isolated = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();
        private final Set<String> listsSeen = new HashSet<>();
        private final Map<String, int[]> listCounts = new LinkedHashMap<>();
        private final Deque<Frame> stack = new ArrayDeque<>();

        /** The loops and duplicates skipped: recorded for {@link #check} alone. */
        private final Skips skips;

        /**
         * A list being expanded: the lists down to it (outermost first, it last), its key, its
         * members left. The stack of frames is the path from the outermost list down.
         */
        private record Frame(List<String> lists, String key, Iterator<Member> members) {}

        Run(String queueId, Set<String> deliveredTo, Skips skips) {
            this.queueId = queueId;
            this.deliveredTo = deliveredTo;
            this.skips = skips;
        }

        void drain() throws DirectoryUnavailable {
            while (!stack.isEmpty()) {
                Frame frame = stack.peek();
                if (!frame.members().hasNext()) {
                    stack.pop();
                    continue;
                }
                member(frame.members().next(), frame.lists());
            }
        }

        /**
         * One recipient: a RCPT ({@code lists} empty), or a member of the last of {@code lists}.
         */
        void member(Member member, List<String> lists) throws DirectoryUnavailable {
            Optional<String> list = innermost(lists);
            // Built only for a fault: a million members must not cost a million contexts.
            Supplier<Event> context =
                    () -> Fates.faultAt(queueId, member.text(), list, "expansion");
            try {
                guarded(member, lists, list, context);
            } catch (DirectoryUnavailable e) {
                throw e;
            } catch (IOException e) {
                // Nothing else below throws an IOException.
                throw new UncheckedIOException(e);
            }
        }

        /** The member inside the recipient boundary; an outage passes through, not a fault. */
        private void guarded(
                Member member, List<String> lists, Optional<String> list, Supplier<Event> context)
                throws IOException {
            boundary.guardIo(
                    Boundary.Scope.RECIPIENT,
                    context,
                    () -> {
                        faults.check(FaultInjector.Stage.EXPANSION, member.text());
                        resolve(member, lists);
                        return null;
                    },
                    fault -> {
                        isolate(
                                member,
                                list,
                                Status.SYSTEM_ERROR,
                                "unexpected fault during expansion: "
                                        + fault.getClass().getSimpleName());
                        return null;
                    });
        }

        private void resolve(Member member, List<String> lists) throws DirectoryUnavailable {
            if (member.parsed() instanceof ParseResult.Invalid invalid) {
                isolate(member, innermost(lists), invalid.status(), invalid.reason());
            } else if (member.parsed() instanceof ParseResult.Valid valid) {
                resolve(valid.mailbox(), member, lists);
            } else {
                isolate(member, innermost(lists), Status.BAD_MAILBOX_SYNTAX, "not a mailbox");
            }
        }

        private void resolve(Mailbox mailbox, Member member, List<String> lists)
                throws DirectoryUnavailable {
            Optional<String> list = innermost(lists);
            if (!directory.isLocal(mailbox.domain())) {
                if (relayConfigured) {
                    target(new Expansion.Target(mailbox, Route.RELAY, lists), member);
                } else {
                    isolate(member, list, Status.NO_ROUTE, "non-local domain and no relay host");
                }
                return;
            }
            Optional<Entry> entry =
                    member.entry().isPresent() ? member.entry() : directory.lookup(mailbox);
            if (entry.isEmpty()) {
                isolate(member, list, Status.BAD_MAILBOX, "unknown user");
            } else if (entry.get() instanceof Entry.User user) {
                target(new Expansion.Target(user.mailbox(), Route.LOCAL, lists), member);
            } else if (entry.get() instanceof Entry.DistributionList nested) {
                expandList(nested, member, lists);
            } else {
                throw new AssertionError(entry.get());
            }
        }

        private void expandList(Entry.DistributionList nested, Member member, List<String> lists) {
            String name = nested.address().address();
            String key = nested.address().key();
            String origin = member.origin();
            // RFC 5321 §3.9: a list met again while expanding is a loop (or a duplicate); skip it.
            if (!listsSeen.add(key)) {
                skips.listAgain(
                        name, key, member.text(), innermost(lists), origin, () -> pathFrom(key));
                return;
            }
            skips.first(key, origin);
            if (deliveredTo.contains(key)) {
                // The message went out through this list before and has come back: expanding it
                // again would send every member one more copy each time round (RFC 9228 names
                // Delivered-To for loop detection; Postfix's local(8) does the same).
                isolate(
                        name,
                        innermost(lists),
                        Status.ROUTING_LOOP,
                        "mail forwarding loop for " + name,
                        origin);
                return;
            }
            // members, delivered, isolated
            listCounts.put(name, new int[] {nested.members().size(), 0, 0});
            stack.push(new Frame(within(lists, name), key, nested.members().iterator()));
        }

        private void target(Expansion.Target target, Member member) {
            String key = target.mailbox().key();
            if (!seen.add(key)) {
                skips.again(
                        member.text(), target.list(), member.origin(), key, "already a recipient");
                return;
            }
            skips.first(key, member.origin());
            if (targets.size() >= maxExpansion) {
                isolate(
                        member,
                        target.list(),
                        Status.TOO_MANY_RECIPIENTS_PERMANENT,
                        "expansion limit of " + maxExpansion + " recipients exceeded");
                return;
            }
            targets.add(target);
            target.list().ifPresent(name -> listCounts.get(name)[1]++);
        }

        private void isolate(Member member, Optional<String> list, Status status, String reason) {
            isolate(member.text(), list, status, reason, member.origin());
        }

        private void isolate(
                String text, Optional<String> list, Status status, String reason, String origin) {
            // The same bad member written twice is one recipient: one 4037, not two.
            String key = "isolated:" + text.strip().toLowerCase(java.util.Locale.ROOT);
            if (!seen.add(key)) {
                skips.again(text, list, origin, key, "already isolated");
                return;
            }
            skips.first(key, origin);
            isolated.add(new Expansion.Isolated(text, list, status, reason, origin(origin)));
            list.ifPresent(name -> listCounts.get(name)[2]++);
        }

        /**
         * The lists being expanded from the one with {@code key} down to the innermost (their
         * names, outermost first); empty when that list is not being expanded. The stack of frames
         * is that path.
         */
        private List<String> pathFrom(String key) {
            List<String> path = new ArrayList<>();
            for (Iterator<Frame> frames = stack.descendingIterator(); frames.hasNext(); ) {
                Frame frame = frames.next();
                if (!path.isEmpty() || frame.key().equals(key)) {
                    path.add(innermost(frame.lists()).orElseThrow());
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
