package org.listgate.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Mailbox;
import org.listgate.address.Status;
import org.listgate.expansion.Expansion;

/**
 * What {@code lists check} makes of one list's expansion: a finding for each member that would be
 * isolated, each loop and duplicate, and the list itself when it expands past {@code
 * limits.maxExpansion}; and the counts for its summary line.
 *
 * <p>The statuses and reasons are the Expander's own, so each isolated member is told exactly what
 * a message to the list would tell its sender (the 4037 and the report).
 */
final class ListCheck {

    private ListCheck() {}

    /** What a finding is about; {@code label} is how the table and the JSON name it. */
    enum Kind {
        /** A member a message to the list would not reach (a 4037 and a report each time). */
        ISOLATED("isolated"),
        /** A list met again inside itself: skipped, nobody isolated, but a mistake all the same. */
        LOOP("loop"),
        /** A mailbox, list or bad member met a second time: one copy, one report. */
        DUPLICATE("duplicate"),
        /** The list expands to more than {@code limits.maxExpansion} recipients. */
        OVER_LIMIT("over-limit"),
        /** A line of the users or lists file that is not read at all (the server's 3003). */
        DIRECTORY("directory");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /**
     * One row: the list checked (none for a line of the files), what was found, the member as
     * written, its status when it is isolated, why, where it is written ({@code file:line} or an
     * LDAP group's DN) and the list it is a member of (the one checked, or one nested in it).
     */
    record Finding(
            Optional<String> list,
            Kind kind,
            String recipient,
            Optional<Status> status,
            String reason,
            Optional<String> origin,
            Optional<String> in) {

        /** A line of the directory's files that is not read ({@code origin} is its file:line). */
        static Finding directory(String origin, String reason) {
            return new Finding(
                    Optional.empty(),
                    Kind.DIRECTORY,
                    "",
                    Optional.empty(),
                    reason,
                    Optional.of(origin),
                    Optional.empty());
        }
    }

    /**
     * One list checked: member entries read (its own and those of every list nested in it, each
     * list once; a nested list's entry counts as one), recipients a message would reach, members
     * isolated, loops, duplicates, and the members past the cap (isolated with 5.5.3).
     */
    record Checked(
            String list,
            int members,
            int delivered,
            int isolated,
            int loops,
            int duplicates,
            int beyondCap,
            List<Finding> findings) {

        Checked {
            findings = List.copyOf(findings);
        }

        boolean overLimit() {
            return beyondCap > 0;
        }
    }

    /** {@code expansion}, {@link org.listgate.expansion.Expander#check}'s of {@code list}. */
    static Checked of(Mailbox list, Expansion expansion, int maxExpansion) {
        String name = list.address();
        Optional<String> checked = Optional.of(name);
        List<Finding> findings = new ArrayList<>();
        int beyondCap = 0;
        for (Expansion.Isolated isolated : expansion.isolated()) {
            if (isolated.status().equals(Status.TOO_MANY_RECIPIENTS_PERMANENT)) {
                beyondCap++;
            }
            findings.add(
                    new Finding(
                            checked,
                            Kind.ISOLATED,
                            isolated.recipient(),
                            Optional.of(isolated.status()),
                            isolated.reason(),
                            isolated.origin(),
                            isolated.list()));
        }
        int loops = 0;
        for (Expansion.Skipped skipped : expansion.skipped()) {
            boolean loop = skipped.kind() == Expansion.Skipped.Kind.LOOP;
            loops += loop ? 1 : 0;
            findings.add(
                    new Finding(
                            checked,
                            loop ? Kind.LOOP : Kind.DUPLICATE,
                            skipped.recipient(),
                            Optional.empty(),
                            skipped.reason(),
                            skipped.origin(),
                            skipped.list()));
        }
        int delivered = expansion.targets().size();
        if (beyondCap > 0) {
            findings.add(
                    new Finding(
                            checked,
                            Kind.OVER_LIMIT,
                            name,
                            Optional.of(Status.TOO_MANY_RECIPIENTS_PERMANENT),
                            "expands to "
                                    + (delivered + beyondCap)
                                    + " recipients, over limits.maxExpansion = "
                                    + maxExpansion
                                    + ": "
                                    + beyondCap
                                    + (beyondCap == 1 ? " member" : " members")
                                    + " past it would be isolated",
                            Optional.empty(),
                            Optional.empty()));
        }
        int members = 0;
        for (Expansion.ListSummary summary : expansion.lists()) {
            members += summary.members();
        }
        return new Checked(
                name,
                members,
                delivered,
                expansion.isolated().size(),
                loops,
                expansion.skipped().size() - loops,
                beyondCap,
                findings);
    }

    /** The sums over every list checked, and the lines of the files that were not read. */
    record Totals(
            int lists,
            long members,
            long delivered,
            long isolated,
            long loops,
            long duplicates,
            int overLimit,
            int unreadLines) {

        static Totals of(List<Checked> checked, List<Finding> unread) {
            long members = 0;
            long delivered = 0;
            long isolated = 0;
            long loops = 0;
            long duplicates = 0;
            int overLimit = 0;
            for (Checked list : checked) {
                members += list.members();
                delivered += list.delivered();
                isolated += list.isolated();
                loops += list.loops();
                duplicates += list.duplicates();
                overLimit += list.overLimit() ? 1 : 0;
            }
            return new Totals(
                    checked.size(),
                    members,
                    delivered,
                    isolated,
                    loops,
                    duplicates,
                    overLimit,
                    unread.size());
        }

        boolean clean() {
            return isolated == 0 && loops == 0 && duplicates == 0 && unreadLines == 0;
        }
    }
}
