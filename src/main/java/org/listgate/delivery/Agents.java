package org.listgate.delivery;

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
public record Agents(Local local, Optional<Relay> relay) {

    /** Delivers one copy to a local mailbox. */
    @FunctionalInterface
    public interface Local {
        Outcome deliver(QueuedMessage message, Mailbox recipient, List<String> lists);
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
    public static Agents of(Config.Maildir maildir, Optional<Config.Relay> relay, String hostname) {
        MaildirAgent local =
                new MaildirAgent(
                        maildir.root(),
                        new MaildirAccess(maildir),
                        new MaildirNames(ProcessHandle.current().pid(), hostname));
        return new Agents(
                local::deliver,
                relay.map(settings -> new RelayAgent(settings, hostname))
                        .map(agent -> agent::deliver));
    }
}
