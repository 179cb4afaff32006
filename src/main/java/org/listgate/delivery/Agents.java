package org.listgate.delivery;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Mailbox;
import org.listgate.config.Config;
import org.listgate.spool.QueuedMessage;

/**
 * The delivery agents the queue manager hands recipients to: the local one, and the relay when a
 * smarthost is configured. An agent answers with an {@link Outcome} per recipient; what it throws
 * is a fault, caught at the recipient boundary.
 */
public record Agents(Local local, Optional<Relay> relay, Optional<Relay> lmtp) {

    /** Local delivery by {@code local} (Maildirs), relay by {@code relay}. */
    public Agents(Local local, Optional<Relay> relay) {
        this(local, relay, Optional.empty());
    }

    /**
     * Delivers one copy to a local mailbox: whole ({@link #deliver}), or in two steps so that the
     * copies of a round are made durable together — {@link #stage} each (written, neither durable
     * nor visible), {@link #sync} once, {@link Staged#publish} each (given its name), {@link #sync}
     * once more. An agent that cannot share the forcing stages by delivering whole.
     */
    @FunctionalInterface
    public interface Local {
        Outcome deliver(QueuedMessage message, Mailbox recipient, List<String> lists);

        /** Writes the copy; the outcome when it is already final (delivered whole, or failed). */
        default Staged stage(QueuedMessage message, Mailbox recipient, List<String> lists) {
            return Staged.done(deliver(message, recipient, lists));
        }

        /** Puts every copy staged so far on disk, content and names alike. */
        default void sync() throws IOException {}
    }

    /** A copy written by {@link Local#stage}. */
    public interface Staged {
        /** The outcome, when nothing is left to do. */
        Optional<Outcome> outcome();

        /**
         * Gives the synced copy its name: delivered once the next {@link Local#sync} returns, or
         * deferred.
         */
        Outcome publish();

        /** Gives the copy up (the sync failed): deferred with {@code reason}, nothing left. */
        Outcome abandon(String reason);

        static Staged done(Outcome outcome) {
            return new Staged() {
                @Override
                public Optional<Outcome> outcome() {
                    return Optional.of(outcome);
                }

                @Override
                public Outcome publish() {
                    return outcome;
                }

                @Override
                public Outcome abandon(String reason) {
                    return outcome;
                }
            };
        }
    }

    /** Sends one copy to the smarthost for {@code recipients}: one outcome each, in their order. */
    @FunctionalInterface
    public interface Relay {
        List<Outcome> deliver(QueuedMessage message, List<Mailbox> recipients, List<String> lists);
    }

    /**
     * The Maildirs of {@code maildir}, with its mode and group, and the smarthost of {@code relay}
     * if there is one.
     */
    public static Agents of(
            Config.Maildir maildir,
            Optional<Config.Relay> relay,
            Optional<Config.Lmtp> lmtp,
            String hostname) {
        MaildirAgent local =
                new MaildirAgent(
                        maildir.root(),
                        new MaildirAccess(maildir),
                        new MaildirNames(ProcessHandle.current().pid(), hostname),
                        maildir.sync());
        return new Agents(
                local,
                relay.map(settings -> new RelayAgent(settings, hostname))
                        .map(agent -> agent::deliver),
                lmtp.map(settings -> new LmtpAgent(settings, hostname)));
    }
}
