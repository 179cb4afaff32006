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

    static final Snapshot EMPTY = new Snapshot(new Users(0), Map.of());

    /** The users spelt as their key: each the address of the user and its key. */
    private final KeySet lowerCase;

    /** The users spelt otherwise, by key. */
    private final Map<String, Mailbox> spelt;

    private final Map<String, Entry.DistributionList> lists;

    /** The users as a snapshot keeps them, while a users file is read. */
    static final class Users {
        private final KeySet lowerCase;
        private final Map<String, Mailbox> spelt = new HashMap<>();

        /** Room for {@code expected} users. */
        Users(int expected) {
            lowerCase = new KeySet(expected);
        }

        /** Adds {@code user}; false when a user of that key is there already. */
        boolean add(Mailbox user) {
            String key = user.key();
            if (lowerCase.contains(key) || spelt.containsKey(key)) {
                return false;
            }
            if (user.address().equals(key)) {
                lowerCase.add(key);
            } else {
                spelt.put(key, user);
            }
            return true;
        }
    }

    /** {@code users}, no longer changed; {@code lists} by the key of their address. */
    Snapshot(Users users, Map<String, Entry.DistributionList> lists) {
        this.lowerCase = users.lowerCase;
        // Hash maps, not Map.copyOf: its table is indexed by the bare string hash, and list keys
        // alike but for a counter (staff-1, staff-2, ...) fill runs of it that each lookup of a
        // member may have to walk.
        this.spelt = Collections.unmodifiableMap(new HashMap<>(users.spelt));
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
