package org.listgate.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.listgate.client.MxList;

/**
 * Gives each member of each send its expected fate and its observed one, and says where they
 * differ. Observed fates come from the SMTP replies and, when the server's records were read, from
 * the {@link Evidence}; without evidence only what SMTP shows is compared.
 */
final class Judge {

    /** One member of one send: what should have happened, what did, and the mismatch, if any. */
    record Verdict(
            int send,
            Scenario.Member member,
            Fate expected,
            Fate observed,
            Optional<String> mismatch,
            boolean otherStatus) {}

    private static final String LOOP = "loop";
    private static final String CLIENT_LOOP = "loop, by the client";
    private static final String MERGED = "merged";

    private final Scenario scenario;
    private final Mode mode;
    private final Optional<Evidence> evidence;

    Judge(Scenario scenario, Mode mode, Optional<Evidence> evidence) {
        this.scenario = scenario;
        this.mode = mode;
        this.evidence = evidence;
    }

    List<Verdict> judge(List<Send.Result> results) {
        List<Verdict> verdicts = new ArrayList<>(results.size() * scenario.members().size());
        for (Send.Result result : results) {
            Copies copies = new Copies(scenario, result);
            List<Scenario.Member> members = scenario.members();
            for (int i = 0; i < members.size(); i++) {
                Scenario.Member member = members.get(i);
                Fate expected =
                        expected(
                                member.kind(),
                                mode,
                                evidence.isPresent(),
                                copies.expected(member),
                                copies.merged(member));
                Fate observed = observed(result, member, result.rcpts().get(i), copies);
                verdicts.add(
                        new Verdict(
                                result.number(),
                                member,
                                expected,
                                observed,
                                mismatch(expected, observed),
                                otherStatus(expected, observed)));
            }
        }
        return verdicts;
    }

    /**
     * How many copies each mailbox of one send should get: one per transaction that accepted it.
     * The server merges a duplicate within a message; a client-list send that a {@code 452} split
     * into transactions is several messages, and a member's twin in another one is another copy.
     */
    private static final class Copies {
        private final Map<String, Set<Integer>> transactions = new HashMap<>();
        private final Map<String, Integer> acceptances = new HashMap<>();
        private final Send.Rcpt[] rcpts;

        Copies(Scenario scenario, Send.Result result) {
            rcpts = result.rcpts().toArray(Send.Rcpt[]::new);
            List<Scenario.Member> members = scenario.members();
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).mailbox().isPresent()
                        && rcpts[i] instanceof Send.Rcpt.Accepted accepted) {
                    String mailbox = members.get(i).mailbox().get().toLowerCase(Locale.ROOT);
                    transactions
                            .computeIfAbsent(mailbox, m -> new HashSet<>())
                            .add(accepted.transaction());
                    acceptances.merge(mailbox + "/" + accepted.transaction(), 1, Integer::sum);
                }
            }
        }

        /** Copies the member's mailbox should hold: at least one (what a full send gives). */
        int expected(Scenario.Member member) {
            return member.mailbox()
                    .map(
                            m ->
                                    Math.max(
                                            1,
                                            transactions
                                                    .getOrDefault(
                                                            m.toLowerCase(Locale.ROOT), Set.of())
                                                    .size()))
                    .orElse(1);
        }

        /** Whether the member's twin is in its transaction, so that the server merges the two. */
        boolean merged(Scenario.Member member) {
            if (member.kind() != Kind.DUPLICATE || member.mailbox().isEmpty()) {
                return false;
            }
            if (!(rcpts[member.index() - 1] instanceof Send.Rcpt.Accepted accepted)) {
                return true;
            }
            return acceptances.getOrDefault(
                            member.mailbox().get().toLowerCase(Locale.ROOT)
                                    + "/"
                                    + accepted.transaction(),
                            0)
                    > 1;
        }
    }

    /**
     * What a correct server does with a member of {@code kind}, as far as it can be seen: with the
     * server's records ({@code correlated}) or at SMTP level only. {@code copies} is what its
     * mailbox should get; {@code merged}, whether its twin is in the same transaction.
     */
    static Fate expected(Kind kind, Mode mode, boolean correlated, int copies, boolean merged) {
        return switch (kind.fate()) {
            case DELIVER -> correlated ? new Fate.Delivered(copies) : new Fate.Accepted();
            case MERGE ->
                    !correlated
                            ? new Fate.Accepted()
                            : merged ? new Fate.Skipped(MERGED) : new Fate.Delivered(copies);
            case SKIP ->
                    mode == Mode.CLIENT_LIST
                            ? new Fate.Skipped(CLIENT_LOOP)
                            : correlated ? new Fate.Skipped(LOOP) : new Fate.Accepted();
            case REFUSE ->
                    mode == Mode.CLIENT_LIST
                            ? new Fate.Refused(kind.rcptCode(), kind.rcptStatus(), "", false)
                            : correlated
                                    ? new Fate.Isolated(kind.isolationStatus(), "", "expansion")
                                    : new Fate.Accepted();
        };
    }

    private Fate observed(
            Send.Result result, Scenario.Member member, Send.Rcpt rcpt, Copies copies) {
        if (rcpt instanceof Send.Rcpt.NotSent notSent) {
            return mode == Mode.CLIENT_LIST && member.kind() == Kind.LIST_LOOP
                    ? new Fate.Skipped(CLIENT_LOOP)
                    : new Fate.NotSent(notSent.why());
        } else if (rcpt instanceof Send.Rcpt.Refused refused) {
            return new Fate.Refused(
                    refused.reply().code(),
                    refused.reply().status(),
                    refused.reply().text(),
                    false);
        } else if (rcpt instanceof Send.Rcpt.Accepted accepted) {
            Send.Transaction transaction = result.transactions().get(accepted.transaction() - 1);
            if (transaction.data() == null) {
                return new Fate.NotSent(
                        "accepted, but no DATA: "
                                + result.failure()
                                        .map(Send.Failure::unsent)
                                        .orElse("the session ended"));
            }
            if (!transaction.queued()) {
                return new Fate.Refused(
                        transaction.data().code(),
                        transaction.data().status(),
                        transaction.data().text(),
                        true);
            }
            return evidence.map(
                            found ->
                                    correlated(
                                            found,
                                            result.number(),
                                            accepted.transaction(),
                                            member,
                                            copies))
                    .orElseGet(Fate.Accepted::new);
        }
        throw new AssertionError(rcpt);
    }

    private static Fate correlated(
            Evidence evidence, int send, int transaction, Scenario.Member member, Copies copies) {
        Optional<Evidence.Isolation> isolation =
                evidence.isolation(send, transaction, member.text());
        if (isolation.isPresent()) {
            return new Fate.Isolated(
                    isolation.get().status(), isolation.get().reason(), isolation.get().stage());
        }
        if (member.mailbox().isPresent()) {
            int found = evidence.copies(send, member.mailbox().get());
            if (found == copies.expected(member) && copies.merged(member)) {
                return new Fate.Skipped(MERGED);
            }
            if (found > 0) {
                return new Fate.Delivered(found);
            }
        }
        return member.kind() == Kind.LIST_LOOP ? new Fate.Skipped(LOOP) : new Fate.Unaccounted();
    }

    /**
     * How many members of {@code result} still wait for evidence: accepted and queued by a server
     * still {@code alive}, with no 4037 and fewer copies than their mailbox should get (one per
     * transaction that accepted it: a mailbox is not done with its first copy when a {@code 452}
     * split the send and its twin went in another transaction).
     */
    static int awaited(
            Scenario scenario, Send.Result result, Evidence evidence, Set<MxList.Server> alive) {
        Copies copies = new Copies(scenario, result);
        List<Scenario.Member> members = scenario.members();
        int count = 0;
        for (int i = 0; i < members.size(); i++) {
            Scenario.Member member = members.get(i);
            if (!(result.rcpts().get(i) instanceof Send.Rcpt.Accepted accepted)
                    || member.kind() == Kind.LIST_LOOP) {
                continue;
            }
            Send.Transaction transaction = result.transactions().get(accepted.transaction() - 1);
            if (!transaction.queued()
                    || !alive.contains(transaction.server())
                    || evidence.isolation(result.number(), accepted.transaction(), member.text())
                            .isPresent()) {
                continue;
            }
            if (member.mailbox()
                    .map(m -> evidence.copies(result.number(), m) < copies.expected(member))
                    .orElse(true)) {
                count++;
            }
        }
        return count;
    }

    private static Optional<String> mismatch(Fate expected, Fate observed) {
        boolean same = Fate.column(expected).equals(Fate.column(observed));
        if (same
                && expected instanceof Fate.Delivered want
                && observed instanceof Fate.Delivered got) {
            same = want.copies() == got.copies();
        }
        if (same && expected instanceof Fate.Refused want && observed instanceof Fate.Refused got) {
            same = got.code() / 100 == want.code() / 100 && !got.atData();
        }
        return same
                ? Optional.empty()
                : Optional.of(
                        "expected " + expectedWords(expected) + ", got " + Fate.describe(observed));
    }

    private static boolean otherStatus(Fate expected, Fate observed) {
        if (expected instanceof Fate.Refused want && observed instanceof Fate.Refused got) {
            return want.code() != got.code() || !want.status().equals(got.status());
        }
        if (expected instanceof Fate.Isolated want && observed instanceof Fate.Isolated got) {
            return !want.status().equals(got.status());
        }
        return false;
    }

    /** The fate a correct server gives {@code kind}, in a table's words: "isolated 5.1.1". */
    static String label(Kind kind, Mode mode, boolean correlated) {
        return expectedWords(expected(kind, mode, correlated, 1, true));
    }

    /** An expected fate in words: "refused 550 5.1.1", "isolated 5.1.3", "delivered", "merged". */
    static String expectedWords(Fate expected) {
        if (expected instanceof Fate.Refused refused) {
            return "refused " + refused.code() + " " + refused.status();
        } else if (expected instanceof Fate.Isolated isolated) {
            return "isolated " + isolated.status();
        } else if (expected instanceof Fate.Delivered delivered) {
            return delivered.copies() == 1
                    ? "delivered"
                    : "delivered " + delivered.copies() + " times";
        } else if (expected instanceof Fate.Skipped skipped) {
            return switch (skipped.why()) {
                case MERGED -> "merged";
                case CLIENT_LOOP -> "not sent (loop)";
                default -> "skipped (" + skipped.why() + ")";
            };
        }
        return Fate.describe(expected);
    }
}
