package org.listgate.expansion;

import java.util.List;
import java.util.Optional;
import org.listgate.address.Mailbox;
import org.listgate.address.Route;
import org.listgate.address.Status;

/**
 * The recipients one message expands to: who gets it, and who is isolated and why. {@code skipped}
 * is filled by {@link Expander#check} alone; a message's expansion leaves it empty.
 */
public record Expansion(
        List<Target> targets,
        List<Isolated> isolated,
        List<ListSummary> lists,
        List<Skipped> skipped) {

    public Expansion {
        targets = List.copyOf(targets);
        isolated = List.copyOf(isolated);
        lists = List.copyOf(lists);
        skipped = List.copyOf(skipped);
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
     * A recipient that will not get the message: as written, the list it came from, the RFC 3463
     * status and reason that say why, and where the member is written ({@code file:line}, or the
     * LDAP group's DN; none for a RCPT). The origin is the member's own string, not a copy.
     */
    public record Isolated(
            String recipient,
            Optional<String> list,
            Status status,
            String reason,
            Optional<String> origin) {}

    /**
     * A member skipped without being a recipient or being isolated (DESIGN.md: neither is an
     * error): a list met again inside itself ({@link Kind#LOOP}), or a mailbox, a list or a bad
     * member met a second time ({@link Kind#DUPLICATE}). As written, the list it is a member of,
     * where it is written, and a reason naming the loop's path or where it was met first.
     */
    public record Skipped(
            String recipient,
            Optional<String> list,
            Optional<String> origin,
            Kind kind,
            String reason) {

        public enum Kind {
            LOOP,
            DUPLICATE
        }
    }

    /** One list met during the expansion and what it gave. */
    public record ListSummary(String list, int members, int delivered, int isolated) {}
}
