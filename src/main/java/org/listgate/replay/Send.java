package org.listgate.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.listgate.client.MxList;
import org.listgate.replay.Conversation.Lost;
import org.listgate.replay.Conversation.Reply;

/**
 * One send of the scenario's message over one connection, as Pegasus Mail made it: banner, HELO
 * (EHLO if asked), MAIL, the RCPTs one at a time, DATA, QUIT.
 *
 * <p>In server-list mode there is one RCPT, the list. In client-list mode there is one RCPT per
 * member; when the server says {@code 452} (too many recipients, RFC 5321 §4.5.3.1.10) the
 * recipients accepted so far get the message and the rest follow in a new transaction on the same
 * connection, as the RFC asks of a client.
 *
 * <p>With several servers ({@code --host a,b,...}) a send tries them in turn, as an MTA tries the
 * MX hosts of a domain (RFC 5321 §5.1): it moves on to the next when the connection cannot be
 * opened, when it is lost in the middle of the session, or when the server says {@code 421} (the
 * service is closing, §3.8: try again, elsewhere), and takes along only what that server did not
 * settle: the members without an answer to their RCPT, and those accepted in a transaction that got
 * neither a {@code 2xx} nor a {@code 5xx} at its end of data (the message may not have been taken,
 * so it is sent again). A refusal with a {@code 5xx} is settled, and a {@code 5xx} banner, HELO or
 * MAIL ends the send: another MX would not be asked. Each server is tried once a send.
 *
 * <p>DIAGNOSTICS: what ended the send early is its {@link Result#failure}: a lost connection
 * (reset, closed, timeout, garbage) with the command it was waiting on, or a {@code 421}; what made
 * it leave a server for the next is in its {@link Result#attempts}.
 *
 * <p>The file is longer than most: a send's records (its RCPT answers, transactions, attempts,
 * failures) are declared with it, as they are the package's words for what a send did.
 */
final class Send {

    /** Where the server's "queued as ID" is, in listgate's and Postfix's replies. */
    private static final Pattern QUEUED_AS =
            Pattern.compile("queued as ([^\\s;,]+)", Pattern.CASE_INSENSITIVE);

    /** What a server said to one member's RCPT, or why none was sent. */
    sealed interface Rcpt {
        record Accepted(Reply reply, int transaction) implements Rcpt {}

        record Refused(Reply reply, int transaction) implements Rcpt {}

        record NotSent(String why) implements Rcpt {}
    }

    /**
     * One transaction, on {@code server}: its DATA's final reply (null if none was sent) and the
     * queue id it named.
     */
    record Transaction(int number, MxList.Server server, Reply data, Optional<String> queueId) {
        boolean queued() {
            return data != null && data.code() / 100 == 2;
        }

        /**
         * Whether the server answered the message for good: taken ({@code 2xx}) or refused ({@code
         * 5xx}). Otherwise (no answer, a {@code 4xx}) it is the next server's to take.
         */
        boolean settled() {
            return queued() || (data != null && data.code() / 100 == 5);
        }
    }

    /** Where a failure to open the connection happened. */
    static final String CONNECT = "connect";

    /**
     * What ended a session early: a lost connection (or one never opened, {@code where} {@value
     * #CONNECT}), or a reply that ends it ({@code loss} null, {@code code} its code): a 421, a
     * refused banner, HELO or MAIL.
     */
    record Failure(Conversation.Loss loss, int code, String where, String detail) {

        /** A session that was open and lost its connection: what a crashed server does. */
        boolean dropped() {
            return loss != null && !where.equals(CONNECT);
        }

        /**
         * Whether the next server is to be tried: no connection, a lost one, or a {@code 421} (RFC
         * 5321 §3.8: the service is closing; an MTA tries the next MX). A {@code 5xx} is an answer
         * for every MX.
         */
        boolean movesOn() {
            return loss != null || code == 421;
        }

        String describe() {
            if (loss == null) {
                return "the server answered " + detail + " at " + where;
            }
            boolean detailed =
                    loss == Conversation.Loss.GARBLED || loss == Conversation.Loss.TIMEOUT;
            return loss.words() + (detailed ? " (" + detail + ")" : "") + " at " + where;
        }

        /** Why a member was not sent: short, since every member after the failure says it. */
        String unsent() {
            int paren = where.indexOf(" (");
            String at = paren < 0 ? where : where.substring(0, paren);
            return (loss == null ? "session ended by " + detail.split(" ", -1)[0] : "session lost")
                    + " at "
                    + at;
        }
    }

    /** Milliseconds: connect to banner, first RCPT to last reply, end of data to reply, all. */
    record Timings(long banner, long rcpts, long endOfData, long total) {}

    /**
     * One server a send tried, in turn, and the failure that made the send move on to the next, if
     * it did.
     */
    record Attempt(MxList.Server server, Optional<Failure> movedOn) {}

    /**
     * The whole of one send. {@code rcpts} is in the order of the scenario's members; {@code
     * attempts}, the servers it tried, in order.
     */
    record Result(
            int number,
            String messageId,
            List<Rcpt> rcpts,
            List<Transaction> transactions,
            List<Attempt> attempts,
            Optional<Failure> failure,
            Timings timings) {

        /** The servers that took the message (a transaction queued there), in order. */
        List<MxList.Server> takenBy() {
            return transactions.stream()
                    .filter(Transaction::queued)
                    .map(Transaction::server)
                    .distinct()
                    .toList();
        }

        /** How many times the send left a server for the next. */
        int failovers() {
            return (int) attempts.stream().filter(a -> a.movedOn().isPresent()).count();
        }

        /** Whether a session of this send, any server's, lost its connection. */
        boolean dropped() {
            return failure.map(Failure::dropped).orElse(false)
                    || attempts.stream()
                            .anyMatch(a -> a.movedOn().map(Failure::dropped).orElse(false));
        }
    }

    /** The settings every send shares. {@code servers}: tried in turn, at least one. */
    record Settings(
            List<MxList.Server> servers,
            Mode mode,
            boolean ehlo,
            String helo,
            String from,
            Duration timeout) {}

    private final Settings settings;
    private final Scenario scenario;

    Send(Settings settings, Scenario scenario) {
        this.settings = settings;
        this.scenario = scenario;
    }

    /** Runs send {@code number}; {@code rcptDone} hears of every RCPT answered. */
    Result run(int number, IntConsumer rcptDone) {
        return new Run(number, rcptDone).run();
    }

    /** The state of one send. */
    private final class Run {
        private final int number;
        private final IntConsumer rcptDone;
        private final String messageId = PegasusMessage.newMessageId(settings.helo());
        private final Rcpt[] rcpts;
        private final List<Transaction> transactions = new ArrayList<>();
        private MxList.Server server;
        private String where = CONNECT;
        private int openTransaction;
        private int rcptsSent;
        private long bannerMillis;
        private long rcptMillis;
        private long endOfDataMillis;

        Run(int number, IntConsumer rcptDone) {
            this.number = number;
            this.rcptDone = rcptDone;
            this.rcpts = new Rcpt[scenario.members().size()];
        }

        Result run() {
            long start = System.nanoTime();
            List<Attempt> attempts = new ArrayList<>();
            Optional<Failure> failure = Optional.empty();
            List<MxList.Server> servers = settings.servers();
            for (int i = 0; i < servers.size(); i++) {
                failure = attempt(servers.get(i));
                boolean next =
                        failure.map(Failure::movesOn).orElse(false) && i + 1 < servers.size();
                attempts.add(new Attempt(servers.get(i), next ? failure : Optional.empty()));
                if (!next) {
                    break;
                }
                carryOver();
            }
            String unsent = failure.map(Failure::unsent).orElse("never sent");
            for (int i = 0; i < rcpts.length; i++) {
                if (rcpts[i] == null) {
                    Kind kind = scenario.members().get(i).kind();
                    rcpts[i] =
                            new Rcpt.NotSent(
                                    kind == Kind.LIST_LOOP && settings.mode() == Mode.CLIENT_LIST
                                            ? "a loop: the client expands its nested lists itself and stops at one"
                                            : unsent);
                }
            }
            return new Result(
                    number,
                    messageId,
                    List.of(rcpts),
                    List.copyOf(transactions),
                    List.copyOf(attempts),
                    failure,
                    new Timings(bannerMillis, rcptMillis, endOfDataMillis, millisSince(start)));
        }

        /** One session with {@code next}: what ended it early, if anything did. */
        private Optional<Failure> attempt(MxList.Server next) {
            server = next;
            where = CONNECT;
            rcptsSent = 0;
            Optional<Failure> failure;
            try (Conversation smtp =
                    Conversation.open(server.host(), server.port(), settings.timeout())) {
                failure = converse(smtp, System.nanoTime());
            } catch (Lost lost) {
                failure = Optional.of(new Failure(lost.loss(), 0, where, lost.getMessage()));
            }
            if (openTransaction > transactions.size()) {
                // The session ended inside a transaction: it never got its DATA.
                transactions.add(new Transaction(openTransaction, server, null, Optional.empty()));
            }
            return failure;
        }

        /**
         * Before the next server: a member accepted in a transaction that this server did not
         * settle is to be sent again; one refused, or in a message taken or refused, stays as it
         * is.
         */
        private void carryOver() {
            for (int i = 0; i < rcpts.length; i++) {
                if (rcpts[i] instanceof Rcpt.Accepted accepted
                        && !transactions.get(accepted.transaction() - 1).settled()) {
                    rcpts[i] = null;
                }
            }
        }

        private Optional<Failure> converse(Conversation smtp, long start) throws Lost {
            where = "banner";
            Reply banner = smtp.reply();
            bannerMillis = millisSince(start);
            if (banner.code() != 220) {
                return closing(banner, smtp);
            }
            Reply hello = settings.ehlo() ? command(smtp, "EHLO", "EHLO " + settings.helo()) : null;
            if (hello == null || hello.code() / 100 == 5) {
                hello = command(smtp, "HELO", "HELO " + settings.helo());
            }
            if (hello.code() != 250) {
                return closing(hello, smtp);
            }
            List<Integer> pending = new ArrayList<>();
            List<Scenario.Member> members = scenario.members();
            for (int i = 0; i < members.size(); i++) {
                if (rcpts[i] == null
                        && (settings.mode() == Mode.SERVER_LIST
                                || members.get(i).kind() != Kind.LIST_LOOP)) {
                    pending.add(i);
                }
            }
            long rcptStart = System.nanoTime();
            long endOfDataBefore = endOfDataMillis;
            try {
                while (!pending.isEmpty()) {
                    Optional<Failure> failure = transaction(smtp, pending);
                    if (failure.isPresent()) {
                        return failure;
                    }
                }
            } finally {
                rcptMillis += millisSince(rcptStart) - (endOfDataMillis - endOfDataBefore);
            }
            where = "QUIT";
            try {
                smtp.command("QUIT");
            } catch (Lost ignored) {
                // A server may close at once after QUIT; the send is complete.
            }
            return Optional.empty();
        }

        /** One transaction for the first of {@code pending}; removes those it settles. */
        private Optional<Failure> transaction(Conversation smtp, List<Integer> pending)
                throws Lost {
            int transaction = transactions.size() + 1;
            openTransaction = transaction;
            Reply mail = command(smtp, "MAIL FROM", "MAIL FROM:<" + settings.from() + ">");
            if (!mail.positive()) {
                if (mail.code() == 421) {
                    return closing(mail, smtp);
                }
                pending.clear();
                quit(smtp);
                return Optional.of(new Failure(null, mail.code(), "MAIL FROM", mail.toString()));
            }
            List<Integer> accepted = new ArrayList<>();
            int sent = 0;
            while (sent < pending.size()) {
                int member = pending.get(sent);
                String rcpt =
                        settings.mode() == Mode.SERVER_LIST
                                ? scenario.listAddress()
                                : scenario.members().get(member).text();
                rcptsSent++;
                Reply reply =
                        command(
                                smtp,
                                "RCPT #"
                                        + rcptsSent
                                        + (settings.mode() == Mode.SERVER_LIST
                                                ? " (the list"
                                                : " (member "
                                                        + (member + 1)
                                                        + " of "
                                                        + rcpts.length)
                                        + ", <"
                                        + Printable.of(rcpt, 60)
                                        + ">)",
                                "RCPT TO:<" + rcpt + ">");
                if (reply.code() == 452 && !accepted.isEmpty()) {
                    break; // too many recipients: the rest go in the next transaction
                }
                sent++;
                if (reply.code() == 421) {
                    return closing(reply, smtp);
                }
                if (settings.mode() == Mode.SERVER_LIST) {
                    // The one RCPT, for the list, speaks for every member.
                    for (int i : pending) {
                        rcpts[i] =
                                reply.positive()
                                        ? new Rcpt.Accepted(reply, transaction)
                                        : new Rcpt.Refused(reply, transaction);
                    }
                    if (reply.positive()) {
                        accepted.addAll(pending);
                    }
                    rcptDone.accept(pending.size());
                    sent = pending.size();
                    break;
                }
                if (reply.positive()) {
                    rcpts[member] = new Rcpt.Accepted(reply, transaction);
                    accepted.add(member);
                } else {
                    rcpts[member] = new Rcpt.Refused(reply, transaction);
                }
                rcptDone.accept(1);
            }
            pending.subList(0, sent).clear();
            if (accepted.isEmpty()) {
                // Nothing to send: RFC 5321 §3.3, DATA needs a recipient. Start afresh or end.
                transactions.add(new Transaction(transaction, server, null, Optional.empty()));
                command(smtp, "RSET", "RSET");
                return Optional.empty();
            }
            Reply data = command(smtp, "DATA", "DATA");
            if (data.code() != 354) {
                transactions.add(new Transaction(transaction, server, data, Optional.empty()));
                return data.code() == 421 ? closing(data, smtp) : Optional.empty();
            }
            where =
                    "end of data (transaction "
                            + transaction
                            + ", "
                            + accepted.size()
                            + " recipients)";
            long sentAt = System.nanoTime();
            smtp.content(
                    PegasusMessage.content(
                            settings.from(), scenario.list(), messageId, Instant.now()));
            Reply done = smtp.reply();
            endOfDataMillis += millisSince(sentAt);
            Matcher queued = QUEUED_AS.matcher(done.text());
            transactions.add(
                    new Transaction(
                            transaction,
                            server,
                            done,
                            done.code() / 100 == 2 && queued.find()
                                    ? Optional.of(queued.group(1))
                                    : Optional.empty()));
            return done.code() == 421 ? closing(done, smtp) : Optional.empty();
        }

        private Reply command(Conversation smtp, String name, String line) throws Lost {
            where = name;
            return smtp.command(line);
        }

        /**
         * The server ended the session with a reply (421, or a banner or HELO it would not give).
         */
        private Optional<Failure> closing(Reply reply, Conversation smtp) {
            if (reply.code() != 421) {
                quit(smtp);
            }
            return Optional.of(new Failure(null, reply.code(), where, reply.toString()));
        }

        private void quit(Conversation smtp) {
            try {
                smtp.command("QUIT");
            } catch (Lost ignored) {
                // Leaving anyway.
            }
        }
    }

    /** Milliseconds since {@code nanos}, a {@link System#nanoTime} reading. */
    static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
