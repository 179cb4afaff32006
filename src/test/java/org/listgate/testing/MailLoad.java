package org.listgate.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clients that send mail as fast as they can, each over its own connection (made again after a
 * failure), and the ledger of what each message became from the client's side: a 250 (with the
 * queue id), a refusal, no reply after the data was sent (unknown: the server may or may not have
 * queued it), or never sent. Every message has a unique {@code Message-ID} and subject, so that the
 * Maildirs can be checked against the ledger.
 */
public final class MailLoad {

    /** What the client knows of a message. */
    public enum Fate {
        /**
         * The connection failed before the end of the data was sent: it cannot have been queued.
         */
        NOT_SENT,
        /** The server answered the end of data with something other than 250. */
        REFUSED,
        /** The end of data was sent and no reply came: queued or not, nobody knows. */
        UNKNOWN,
        /** 250 after the end of data: the server promised delivery. */
        ACCEPTED
    }

    /** One message: its id, the RCPT TO addresses, and the mailboxes it must end up in. */
    public static final class Sent {
        private final String messageId;
        private final List<String> rcptTo;
        private final Set<String> expected;
        private volatile Fate fate = Fate.NOT_SENT;
        private volatile String queueId = "";

        Sent(String messageId, List<String> rcptTo, Set<String> expected) {
            this.messageId = messageId;
            this.rcptTo = List.copyOf(rcptTo);
            this.expected = Set.copyOf(expected);
        }

        public String messageId() {
            return messageId;
        }

        public Set<String> expected() {
            return expected;
        }

        public Fate fate() {
            return fate;
        }

        public String queueId() {
            return queueId;
        }

        @Override
        public String toString() {
            return messageId + " " + fate + " " + queueId + " to " + rcptTo;
        }
    }

    /** Every message sent by every client of every round. */
    public static final class Ledger {
        private final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
        private final List<String> users;
        private final Map<String, List<String>> lists;

        /**
         * {@code users}: direct recipients to choose from; {@code lists}: list address → members.
         */
        public Ledger(List<String> users, Map<String, List<String>> lists) {
            this.users = List.copyOf(users);
            this.lists = Map.copyOf(lists);
        }

        public List<Sent> all() {
            return List.copyOf(sent);
        }

        public long count(Fate fate) {
            return sent.stream().filter(s -> s.fate == fate).count();
        }

        /**
         * One to three recipients: a list a quarter of the time, else a user; duplicates allowed.
         */
        Sent next(String messageId, Random random) {
            List<String> rcptTo = new ArrayList<>();
            Set<String> expected = new LinkedHashSet<>();
            List<String> listNames = List.copyOf(lists.keySet());
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                if (!listNames.isEmpty() && random.nextInt(4) == 0) {
                    String list = listNames.get(random.nextInt(listNames.size()));
                    rcptTo.add(list);
                    expected.addAll(lists.get(list));
                } else {
                    String user = users.get(random.nextInt(users.size()));
                    rcptTo.add(user);
                    expected.add(user);
                }
            }
            Sent message = new Sent(messageId, rcptTo, expected);
            sent.add(message);
            return message;
        }
    }

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    private MailLoad() {}

    /**
     * Starts {@code clients} threads sending from {@code sender} to the server on {@code port};
     * client numbers start at {@code firstClient} so that Message-IDs stay unique across rounds.
     */
    public static MailLoad start(
            Ledger ledger, int port, String sender, int firstClient, int clients) {
        MailLoad load = new MailLoad();
        for (int n = firstClient; n < firstClient + clients; n++) {
            int client = n;
            Thread thread =
                    new Thread(
                            () -> load.run(ledger, port, sender, client), "load-client-" + client);
            thread.setDaemon(true);
            load.threads.add(thread);
        }
        load.threads.forEach(Thread::start);
        return load;
    }

    /** Tells the clients to stop and waits for them; the transaction each is in ends first. */
    public void stop() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(60_000);
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not stop within a minute");
            }
        }
    }

    private void run(Ledger ledger, int port, String sender, int client) {
        Random random = new Random(client);
        int sequence = 0;
        while (!stop.get()) {
            try (SmtpClient smtp = new SmtpClient(port)) {
                expect(smtp.greeting(), "220");
                expect(smtp.command("EHLO client-" + client + ".load.test"), "250");
                while (!stop.get()) {
                    sequence++;
                    String messageId = "client-" + client + "-seq-" + sequence + "@load.test";
                    send(smtp, ledger.next(messageId, random), sender);
                }
                smtp.command("QUIT");
            } catch (IOException e) {
                // The server went away (that is the point); try again until told to stop.
                pause();
            }
        }
    }

    private static void send(SmtpClient smtp, Sent message, String sender) throws IOException {
        expect(smtp.command("MAIL FROM:<" + sender + ">"), "250");
        for (String recipient : message.rcptTo) {
            expect(smtp.command("RCPT TO:<" + recipient + ">"), "250");
        }
        expect(smtp.command("DATA"), "354");
        // From the first byte of the content on, the server may end up with the whole message.
        message.fate = Fate.UNKNOWN;
        smtp.write(content(message, sender) + ".\r\n");
        String reply = smtp.reply();
        if (reply == null) {
            throw new IOException("connection closed before the reply to the end of data");
        }
        if (reply.startsWith("250 ")) {
            message.queueId = reply.substring(reply.lastIndexOf(' ') + 1);
            message.fate = Fate.ACCEPTED;
        } else {
            message.fate = Fate.REFUSED;
        }
    }

    /** The message; its last line names it, so that a file cut short shows. */
    static String content(Sent message, String sender) {
        String id = message.messageId;
        StringBuilder text =
                new StringBuilder()
                        .append("From: <")
                        .append(sender)
                        .append(">\r\n")
                        .append("To: ")
                        .append(String.join(", ", message.rcptTo))
                        .append("\r\n")
                        .append("Subject: load test ")
                        .append(id)
                        .append("\r\n")
                        .append("Message-ID: <")
                        .append(id)
                        .append(">\r\n")
                        .append("\r\n");
        for (int line = 0; line < 12; line++) {
            text.append("Line ")
                    .append(line)
                    .append(" of ")
                    .append(id)
                    .append(", some words to fill it.\r\n");
        }
        return text.append("end of ").append(id).append("\r\n").toString();
    }

    private static void expect(String reply, String code) throws IOException {
        if (reply == null || !reply.startsWith(code)) {
            throw new IOException("expected " + code + ", got " + reply);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
