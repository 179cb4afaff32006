package org.listgate.directory;

import java.util.Map;
import java.util.Optional;
import org.listgate.address.Mailbox;

/** One immutable reading of the users and lists files. */
record Snapshot(Map<String, Entry.User> users, Map<String, Entry.DistributionList> lists) {

    static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of());

    Snapshot {
        users = Map.copyOf(users);
        lists = Map.copyOf(lists);
    }

    Optional<Entry> lookup(Mailbox mailbox) {
        String key = mailbox.key();
        Entry.DistributionList list = lists.get(key);
        if (list != null) {
            return Optional.of(list);
        }
        return Optional.ofNullable(users.get(key));
    }
}
