package org.listgate.directory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Mailbox;
import org.listgate.config.Config;
import org.listgate.events.EventLog;

/**
 * Who exists: local users and distribution lists, from the files ({@code directory.type = files},
 * the default) or from an LDAP directory ({@code ldap}). Every local domain has a postmaster (RFC
 * 5321 §4.5.1): {@code postmaster@<local domain>} that the source does not know reaches {@code
 * postmaster.address}, else {@code postmaster@<first domain>}.
 *
 * <p>DIAGNOSTICS: a lookup the LDAP directory cannot answer throws {@link DirectoryUnavailable};
 * the files never do.
 */
public final class Directory implements AutoCloseable {

    private final List<String> domains;
    private final Optional<Mailbox> postmaster;
    private final Source source;
    private final java.util.concurrent.atomic.AtomicLong lookups =
            new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong failures =
            new java.util.concurrent.atomic.AtomicLong();

    /** The users and lists files; the postmaster is {@code postmaster@<first domain>}. */
    public Directory(List<String> domains, Path usersFile, Path listsFile, EventLog events) {
        this(domains, usersFile, listsFile, Optional.empty(), events);
    }

    /**
     * The users and lists files. {@code postmaster}: the mailbox that {@code postmaster} at every
     * local domain reaches when no user or list of that name exists there ({@code
     * postmaster.address}); when empty, {@code postmaster@<first domain>}.
     */
    public Directory(
            List<String> domains,
            Path usersFile,
            Path listsFile,
            Optional<Mailbox> postmaster,
            EventLog events) {
        this(domains, postmaster, new FileSource(domains, usersFile, listsFile, events));
    }

    private Directory(List<String> domains, Optional<Mailbox> postmaster, Source source) {
        this.domains = List.copyOf(domains);
        this.postmaster = postmaster;
        this.source = source;
    }

    /** An LDAP directory ({@code directory.ldap.*}); lists are named in the first domain. */
    public static Directory ldap(
            List<String> domains, Config.Ldap ldap, Optional<Mailbox> postmaster, EventLog events) {
        return new Directory(domains, postmaster, new LdapSource(ldap, events));
    }

    /** Reads the files again, or forgets what LDAP lookups were cached. */
    public void reload() {
        source.reload();
    }

    /** Polls the files every {@code interval} and reloads when either has changed. */
    public void watch(Duration interval) {
        source.watch(interval);
    }

    public Optional<Entry> lookup(Mailbox mailbox) throws DirectoryUnavailable {
        Optional<Entry> entry = counted(() -> source.lookup(mailbox));
        // RFC 5321 §4.5.1: every domain the server accepts mail for has a postmaster.
        if (entry.isEmpty()
                && mailbox.localPart().equalsIgnoreCase("postmaster")
                && isLocal(mailbox.domain())) {
            Mailbox target = postmaster();
            Optional<Entry> own = source.lookup(target);
            return Optional.of(own.orElse(new Entry.User(target)));
        }
        return entry;
    }

    /**
     * Whether {@code mailbox} is a user or a list (the postmaster always is), without fetching what
     * a list holds: what RCPT needs to know.
     */
    public boolean exists(Mailbox mailbox) throws DirectoryUnavailable {
        if (mailbox.localPart().equalsIgnoreCase("postmaster") && isLocal(mailbox.domain())) {
            return true;
        }
        return counted(() -> source.exists(mailbox));
    }

    /** A lookup the source makes, counted, and counted as failed when the source cannot say. */
    private <T> T counted(Lookup<T> lookup) throws DirectoryUnavailable {
        lookups.incrementAndGet();
        try {
            return lookup.run();
        } catch (DirectoryUnavailable e) {
            failures.incrementAndGet();
            throw e;
        }
    }

    @FunctionalInterface
    private interface Lookup<T> {
        T run() throws DirectoryUnavailable;
    }

    /** Lookups since the start (RCPT, expansion, reports). */
    public long lookups() {
        return lookups.get();
    }

    /** Lookups the directory could not answer. */
    public long lookupFailures() {
        return failures.get();
    }

    /** Whether the directory answers now: the files always do; LDAP not during an outage. */
    public boolean healthy() {
        return source.healthy();
    }

    /** Whether the source names {@code mailbox} itself (no postmaster fallback). */
    public boolean lists(Mailbox mailbox) throws DirectoryUnavailable {
        return source.lookup(mailbox).isPresent();
    }

    /**
     * Every distribution list in a local domain, ordered by name (then domain), without its
     * members: the lists file's lists (as last read: call {@link #reload()} first), or every LDAP
     * entry that {@code groupFilter} matches whatever its address (see {@code LdapSource}). For
     * {@code listgate lists check}; mail never walks the whole directory.
     */
    public List<Mailbox> distributionLists() throws DirectoryUnavailable {
        java.util.Map<String, Mailbox> lists = new java.util.HashMap<>();
        for (Mailbox list : counted(source::distributionLists)) {
            if (isLocal(list.domain())) {
                lists.putIfAbsent(list.key(), list);
            }
        }
        return lists.values().stream()
                .sorted(
                        java.util.Comparator.comparing(
                                        (Mailbox list) ->
                                                list.localPart().toLowerCase(java.util.Locale.ROOT))
                                .thenComparing(Mailbox::domain))
                .toList();
    }

    /** Where mail for the postmaster goes: see the constructor. */
    public Mailbox postmaster() {
        return postmaster.orElse(new Mailbox("postmaster", domains.get(0)));
    }

    /** Where the entries come from (tests read an LDAP source's search count). */
    Source source() {
        return source;
    }

    public boolean isLocal(String domain) {
        return domains.contains(domain);
    }

    public List<String> domains() {
        return domains;
    }

    @Override
    public void close() {
        source.close();
    }
}
