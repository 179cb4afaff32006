package org.listgate.directory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Mailbox;

/** Where the directory's entries come from: the files, or an LDAP server. */
interface Source extends AutoCloseable {

    /** The entry {@code mailbox} names, as the source stands now. */
    Optional<Entry> lookup(Mailbox mailbox) throws DirectoryUnavailable;

    /** Whether {@code mailbox} is a user or a list, without what a list holds. */
    default boolean exists(Mailbox mailbox) throws DirectoryUnavailable {
        return lookup(mailbox).isPresent();
    }

    /**
     * The address of every distribution list the source holds, in no particular order, without
     * their members (an administrator's check walks them; mail never needs this).
     */
    List<Mailbox> distributionLists() throws DirectoryUnavailable;

    /** Whether lookups are answered now. */
    default boolean healthy() {
        return true;
    }

    /** Reads the files again, or forgets what was cached (SIGHUP). */
    void reload();

    /** Keeps the source up to date every {@code interval}, where that means anything. */
    void watch(Duration interval);

    @Override
    void close();
}
