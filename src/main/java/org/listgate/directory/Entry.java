package org.listgate.directory;

import java.util.List;
import org.listgate.address.Mailbox;

/** What an address is in the directory: a local user, or a distribution list. */
public sealed interface Entry {

    /** A local mailbox; {@code mailbox} is spelt as in the users file. */
    record User(Mailbox mailbox) implements Entry {}

    /** A distribution list {@code name@<first domain>} and its members, in file order. */
    record DistributionList(Mailbox address, List<Member> members) implements Entry {
        public DistributionList {
            // A file's members are kept compactly, and already cannot change.
            members =
                    members instanceof FileMembers compact && compact.sealed()
                            ? members
                            : List.copyOf(members);
        }

        public String name() {
            return address.localPart();
        }
    }
}
