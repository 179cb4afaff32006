package org.listgate.expansion;

import java.util.List;
import java.util.Optional;
import org.listgate.address.Mailbox;
import org.listgate.address.Route;
import org.listgate.address.Status;

/** The recipients one message expands to: who gets it, and who is isolated and why. */
public record Expansion(List<Target> targets, List<Isolated> isolated, List<ListSummary> lists) {

    public Expansion {
        targets = List.copyOf(targets);
        isolated = List.copyOf(isolated);
        lists = List.copyOf(lists);
    }

    /**
     * A recipient that will be given the message, and the lists it came through: outermost first,
     * the one it is a member of last; none for a recipient named at RCPT. Nested more than ten
     * deep, the nine outermost and the one it is a member of.
     */
    public record Target(Mailbox mailbox, Route route, List<String> lists) {

        public Target {
            lists = List.copyOf(lists);
        }

        /** The list it came from (the innermost), if any. */
        public Optional<String> list() {
            return lists.isEmpty() ? Optional.empty() : Optional.of(lists.get(lists.size() - 1));
        }
    }

    /**
     * A recipient that will not get the message: as written, the list it came from, and the RFC
     * 3463 status and reason that say why.
     */
    public record Isolated(String recipient, Optional<String> list, Status status, String reason) {}

    /** One list met during the expansion and what it gave. */
    public record ListSummary(String list, int members, int delivered, int isolated) {}
}
