package org.listgate.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives each member of each send its expected fate and its observed one, and says where they
 * differ. Observed fates come from the SMTP replies and, when the server's records were read,
 * from the {@link Evidence}; without evidence only what SMTP shows is compared.
 */
final class Judge {

    /** One member of one send: what should have happened, what did, and the mismatch, if any. */
    record Verdict(int send, Scenario.Member member, Fate expected, Fate observed, Optional<String> mismatch,
            boolean otherStatus) {}

    private static final String LOOP = "loop";
    private static final String CLIENT_LOOP = "loop, client-side";
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
            List<Scenario.Member> members = scenario.members();
            for (int i = 0; i < members.size(); i++) {
                Scenario.Member member = members.get(i);
                Fate expected = expected(member.kind());
                Fate observed = observed(result, member, result.rcpts().get(i));
                verdicts.add(new Verdict(result.number(), member, expected, observed, mismatch(expected, observed),
                        otherStatus(expected, observed)));
            }
        }
        return verdicts;
    }

    /** What a correct server does with a member of {@code kind}, as far as it can be seen. */
    Fate expected(Kind kind) {
        boolean correlated = evidence.isPresent();
        return switch (kind.fate()) {
            case DELIVER -> correlated ? new Fate.Delivered(1) : new Fate.Accepted();
            case MERGE -> correlated ? new Fate.Skipped(MERGED) : new Fate.Accepted();
            case SKIP -> mode == Mode.CLIENT_LIST ? new Fate.Skipped(CLIENT_LOOP)
                    : correlated ? new Fate.Skipped(LOOP) : new Fate.Accepted();
            case REFUSE -> mode == Mode.CLIENT_LIST
                    ? new Fate.Refused(kind.rcptCode(), kind.rcptStatus(), "", false)
                    : correlated ? new Fate.Isolated(kind.isolationStatus(), "", "expansion") : new Fate.Accepted();
        };
    }

    private Fate observed(Send.Result result, Scenario.Member member, Send.Rcpt rcpt) {
        if (rcpt instanceof Send.Rcpt.NotSent notSent) {
            return mode == Mode.CLIENT_LIST && member.kind() == Kind.LIST_LOOP
                    ? new Fate.Skipped(CLIENT_LOOP)
                    : new Fate.NotSent(notSent.why());
        } else if (rcpt instanceof Send.Rcpt.Refused refused) {
            return new Fate.Refused(refused.reply().code(), refused.reply().status(), refused.reply().text(), false);
        } else if (rcpt instanceof Send.Rcpt.Accepted accepted) {
            Send.Transaction transaction = result.transactions().get(accepted.transaction() - 1);
            if (transaction.data() == null) {
                return new Fate.NotSent("the session ended before DATA");
            }
            if (!transaction.queued()) {
                return new Fate.Refused(transaction.data().code(), transaction.data().status(),
                        transaction.data().text(), true);
            }
            return evidence.map(found -> correlated(found, result.number(), member)).orElseGet(Fate.Accepted::new);
        }
        throw new AssertionError(rcpt);
    }

    private static Fate correlated(Evidence evidence, int send, Scenario.Member member) {
        Optional<Evidence.Isolation> isolation = evidence.isolation(send, member.text());
        if (isolation.isPresent()) {
            return new Fate.Isolated(isolation.get().status(), isolation.get().reason(), isolation.get().stage());
        }
        if (member.mailbox().isPresent()) {
            int copies = evidence.copies(send, member.mailbox().get());
            if (copies == 1 && member.kind() == Kind.DUPLICATE) {
                return new Fate.Skipped(MERGED);
            }
            if (copies > 0) {
                return new Fate.Delivered(copies);
            }
        }
        return member.kind() == Kind.LIST_LOOP ? new Fate.Skipped(LOOP) : new Fate.Unaccounted();
    }

    /** Whether {@code member} still waits for evidence: accepted and queued, fate not yet seen. */
    static boolean awaited(Send.Result result, int index, Scenario.Member member, Evidence evidence) {
        if (!(result.rcpts().get(index) instanceof Send.Rcpt.Accepted accepted)
                || !result.transactions().get(accepted.transaction() - 1).queued()
                || member.kind() == Kind.LIST_LOOP) {
            return false;
        }
        return evidence.isolation(result.number(), member.text()).isEmpty()
                && member.mailbox().map(mailbox -> evidence.copies(result.number(), mailbox) == 0).orElse(true);
    }

    private static Optional<String> mismatch(Fate expected, Fate observed) {
        boolean same = Fate.column(expected).equals(Fate.column(observed));
        if (same && observed instanceof Fate.Delivered delivered && delivered.copies() != 1) {
            same = false;
        }
        if (same && expected instanceof Fate.Refused want && observed instanceof Fate.Refused got) {
            same = got.code() / 100 == want.code() / 100 && !got.atData();
        }
        return same ? Optional.empty() : Optional.of("expected " + expectedWords(expected) + ", got " + Fate.describe(observed));
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

    /** The expected fate in words: "refused 550 5.1.1", "isolated 5.1.3", "delivered once". */
    static String expectedWords(Fate expected) {
        if (expected instanceof Fate.Refused refused) {
            return "refused " + refused.code() + " " + refused.status();
        } else if (expected instanceof Fate.Isolated isolated) {
            return "isolated " + isolated.status();
        } else if (expected instanceof Fate.Delivered) {
            return "delivered once";
        } else if (expected instanceof Fate.Skipped skipped) {
            return skipped.why().equals(MERGED) ? "merged, one copy" : "skipped: " + skipped.why();
        }
        return Fate.describe(expected);
    }
}
