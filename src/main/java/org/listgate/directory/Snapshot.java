package org.listgate.directory;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.listgate.address.KeySet;
import org.listgate.address.Mailbox;

/**
 * One immutable reading of the users and lists files.
 *
 * <p>A user is kept as one string, its address, as nearly every users file spells it in lower case
 * and so as its own {@link Mailbox#key()}: a directory of a million users keeps a million strings,
 * not a million strings, mailboxes and entries. The {@link Entry.User} is made when the user is
 * looked up, with the mailbox looked up itself when it is spelt as the users file spells it (a list
 * member written as the users file writes it, whose mailbox already holds that same string), and a
 * mailbox made from the address otherwise. The few users spelt with a capital are kept as their
 * mailboxes, by key.
 */
final class Snapshot {

    static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of());

    /** The users spelt as their key: each the address of the user and its key. */
    private final KeySet lowerCase;

    /** The users spelt otherwise, by key. */
    private final Map<String, Mailbox> spelt;

    private final Map<String, Entry.DistributionList> lists;

    /** {@code users} by {@link Mailbox#key()}; {@code lists} by the key of their address. */
    Snapshot(Map<String, Mailbox> users, Map<String, Entry.DistributionList> lists) {
        KeySet lowerCase = new KeySet(users.size());
        Map<String, Mailbox> spelt = new HashMap<>();
        users.forEach(
                (key, user) -> {
                    if (user.address().equals(key)) {
                        lowerCase.add(user.key());
                    } else {
                        spelt.put(key, user);
                    }
                });
        this.lowerCase = lowerCase;
        // Hash maps, not Map.copyOf: its table is indexed by the bare string hash, and list keys
        // alike but for a counter (staff-1, staff-2, ...) fill runs of it that each lookup of a
        // member may have to walk.
        this.spelt = Collections.unmodifiableMap(new HashMap<>(spelt));
        this.lists = Collections.unmodifiableMap(new HashMap<>(lists));
    }

    int userCount() {
        return lowerCase.size() + spelt.size();
    }

    Map<String, Entry.DistributionList> lists() {
        return lists;
    }

    Optional<Entry> lookup(Mailbox mailbox) {
        String key = mailbox.key();
        Entry.DistributionList list = lists.get(key);
        if (list != null) {
            return Optional.of(list);
        }
        if (lowerCase.contains(key)) {
            Mailbox user =
                    mailbox.address().equals(key)
                            ? mailbox
                            : new Mailbox(
                                    key.substring(0, key.length() - mailbox.domain().length() - 1),
                                    mailbox.domain());
            return Optional.of(new Entry.User(user));
        }
        Mailbox user = spelt.get(key);
        return user == null ? Optional.empty() : Optional.of(new Entry.User(user));
    }
}
