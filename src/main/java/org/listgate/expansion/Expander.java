package org.listgate.expansion;

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
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.address.Status;
import org.listgate.directory.Directory;
import org.listgate.directory.Entry;
import org.listgate.directory.Member;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;

/**
 * Expands a message's accepted recipients into the mailboxes that get it.
 *
 * <p>Iterative (an explicit stack, never recursion, so no list can exhaust the thread's stack),
 * loop-safe (a list is expanded at most once per message: met again, it is skipped), de-duplicated
 * (a mailbox already included is skipped; {@link Mailbox#key()} folds case), capped at
 * {@code limits.maxExpansion} targets (members past the cap are isolated with 5.5.3, never dropped
 * silently), and linear in the number of members. Each member is handled inside the recipient
 * boundary: a fault while handling one (real or injected) isolates that member with 5.3.0 and
 * the expansion goes on.
 */
public final class Expander {

    private final Directory directory;
    private final int maxExpansion;
    private final boolean relayConfigured;
    private final FaultInjector faults;
    private final Boundary boundary;

    public Expander(Directory directory, int maxExpansion, boolean relayConfigured, FaultInjector faults,
            Boundary boundary) {
        this.directory = directory;
        this.maxExpansion = maxExpansion;
        this.relayConfigured = relayConfigured;
        this.faults = faults;
        this.boundary = boundary;
    }

    /** Expands {@code recipients} (the accepted RCPTs) of message {@code queueId}. */
    public Expansion expand(String queueId, List<Mailbox> recipients) {
        Run run = new Run(queueId);
        for (Mailbox recipient : recipients) {
            run.member(recipient.address(), new ParseResult.Valid(recipient), Optional.empty());
            run.drain();
        }
        return run.result();
    }

    /** The state of one expansion. */
    private final class Run {
        private final String queueId;
        private final List<Expansion.Target> targets = new ArrayList<>();
        private final List<Expansion.Isolated> isolated = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();
        private final Set<String> listsSeen = new HashSet<>();
        private final Map<String, int[]> listCounts = new LinkedHashMap<>();
        private final Deque<Frame> stack = new ArrayDeque<>();

        private record Frame(String list, Iterator<Member> members) {}

        Run(String queueId) {
            this.queueId = queueId;
        }

        void drain() {
            while (!stack.isEmpty()) {
                Frame frame = stack.peek();
                if (!frame.members().hasNext()) {
                    stack.pop();
                    continue;
                }
                Member member = frame.members().next();
                member(member.text(), member.parsed(), Optional.of(frame.list()));
            }
        }

        void member(String text, ParseResult parsed, Optional<String> list) {
            Event context = Event.of(EventId.EXCEPTION).with("queueId", queueId).with("recipient", text)
                    .with("list", list.orElse(null)).with("stage", "expansion");
            boundary.guard(Boundary.Scope.RECIPIENT, context, () -> {
                faults.check(FaultInjector.Stage.EXPANSION, text);
                resolve(text, parsed, list);
                return null;
            }, fault -> {
                isolate(text, list, Status.SYSTEM_ERROR, "unexpected fault during expansion: "
                        + fault.getClass().getSimpleName());
                return null;
            });
        }

        private void resolve(String text, ParseResult parsed, Optional<String> list) {
            if (parsed instanceof ParseResult.Invalid invalid) {
                isolate(text, list, invalid.status(), invalid.reason());
            } else if (parsed instanceof ParseResult.Valid valid) {
                resolve(valid.mailbox(), text, list);
            } else {
                isolate(text, list, Status.BAD_MAILBOX_SYNTAX, "not a mailbox");
            }
        }

        private void resolve(Mailbox mailbox, String text, Optional<String> list) {
            if (!directory.isLocal(mailbox.domain())) {
                if (relayConfigured) {
                    target(new Expansion.Target(mailbox, Expansion.Route.RELAY, list), text);
                } else {
                    isolate(text, list, Status.NO_ROUTE, "non-local domain and no relay host");
                }
                return;
            }
            Optional<Entry> entry = directory.lookup(mailbox);
            if (entry.isEmpty()) {
                isolate(text, list, Status.BAD_MAILBOX, "unknown user");
            } else if (entry.get() instanceof Entry.User user) {
                target(new Expansion.Target(user.mailbox(), Expansion.Route.LOCAL, list), text);
            } else if (entry.get() instanceof Entry.DistributionList nested) {
                // RFC 5321 §3.9: a list met again while expanding is a loop (or a duplicate); skip it.
                if (listsSeen.add(nested.address().key())) {
                    // members, delivered, isolated
                    listCounts.put(nested.address().address(), new int[] {nested.members().size(), 0, 0});
                    stack.push(new Frame(nested.address().address(), nested.members().iterator()));
                }
            } else {
                throw new AssertionError(entry.get());
            }
        }

        private void target(Expansion.Target target, String text) {
            if (!seen.add(target.mailbox().key())) {
                return;
            }
            if (targets.size() >= maxExpansion) {
                isolate(text, target.list(), Status.TOO_MANY_RECIPIENTS_PERMANENT,
                        "expansion limit of " + maxExpansion + " recipients exceeded");
                return;
            }
            targets.add(target);
            target.list().ifPresent(name -> listCounts.get(name)[1]++);
        }

        private void isolate(String text, Optional<String> list, Status status, String reason) {
            // The same bad member written twice is one recipient: one 4037, not two.
            if (!seen.add("isolated:" + text.strip().toLowerCase(java.util.Locale.ROOT))) {
                return;
            }
            isolated.add(new Expansion.Isolated(text, list, status, reason));
            list.ifPresent(name -> listCounts.get(name)[2]++);
        }

        Expansion result() {
            List<Expansion.ListSummary> lists = new ArrayList<>();
            listCounts.forEach((name, counts) ->
                    lists.add(new Expansion.ListSummary(name, counts[0], counts[1], counts[2])));
            return new Expansion(targets, isolated, lists);
        }
    }
}
