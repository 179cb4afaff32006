package org.listgate.directory;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.TrustManagerFactory;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.address.Status;
import org.listgate.config.Config;
import org.listgate.events.EventLog;

/**
 * Users and lists in an LDAP directory (OpenLDAP, Active Directory), read with the UnboundID LDAP
 * SDK, after Postfix's ldap_table(5): an address is a user when {@code userFilter} finds an entry,
 * a list when {@code groupFilter} does (both in one search). A list's members are the DNs of its
 * {@code memberAttributes} and the addresses of its {@code mailMemberAttribute}; member DNs are
 * fetched {@value #BATCH} to a search (by their naming attribute under their parent), so a
 * 10,000-member group costs a few dozen round trips, not 10,000; a member that is itself a group is
 * a nested list, expanded by its mail like any other. Active Directory's ranged {@code
 * member;range=0-1499} is read whole. {@code owner-<list>} is the list's {@code ownerAttribute}
 * entry, so reports about the list's members go to its owner (RFC 5321 §3.9).
 *
 * <p>A member DN with no entry, an entry without mail, and a mail value that is not an address
 * become members that the expansion isolates (5.1.1, or the parser's 5.1.3), with a reason naming
 * the DN.
 *
 * <p>Connections: a pool over {@code urls}, tried in order (failover), each connect and operation
 * limited to {@code timeout}; ldaps with the JVM's trust store and host name checks; a connection
 * found broken is replaced, so lookups work again as soon as a server is back. Answers are cached
 * for {@code cacheTtl}, found and not found alike ({@link LookupCache}).
 *
 * <p>Every list ({@link #distributionLists()}, for {@code listgate lists check}): the entries that
 * {@code groupFilter} matches with {@code %s} as {@code *} — with the default filter, every
 * groupOfNames, groupOfUniqueNames or group that has a mail — in pages of {@value #PAGE}.
 *
 * <p>DIAGNOSTICS: an unreachable server, a timeout or an error result is {@link
 * DirectoryUnavailable}; the outage is logged once when it begins (3014) and once when it ends
 * (1003), not once per lookup ({@link Outage}).
 *
 * <p>One file, longer than most here, because every search listgate makes is here and shares one
 * way to send a request and to turn a failure into an outage; the cache and the outage bookkeeping
 * are classes of their own.
 */
final class LdapSource implements Source {

    /** Member DNs fetched in one search. */
    static final int BATCH = 200;

    /** Groups asked for in one page of {@link #distributionLists()}. */
    static final int PAGE = 500;

    private final Config.Ldap settings;
    private final LDAPConnectionPool pool;
    private final Outage outage;
    private final LookupCache cache;
    private final AtomicInteger searches = new AtomicInteger();

    LdapSource(Config.Ldap settings, EventLog events) {
        this.settings = settings;
        this.outage = new Outage(String.join(",", settings.urls()), events, settings.timeout());
        this.cache = new LookupCache(settings.cacheTtl());
        BindRequest bind =
                settings.bindDn()
                        .map(dn -> new SimpleBindRequest(dn, settings.password().orElse("")))
                        .orElse(null);
        try {
            // No connection at start is required: the directory may be down when listgate starts.
            this.pool = new LDAPConnectionPool(servers(settings), bind, 0, 8, null, false);
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot set up the LDAP connection pool: " + e, e);
        }
        pool.setCreateIfNecessary(true);
        pool.setMaxWaitTimeMillis(settings.timeout().toMillis());
        pool.setRetryFailedOperationsDueToInvalidConnections(true);
        pool.setConnectionPoolName("listgate-directory");
    }

    private static ServerSet servers(Config.Ldap settings) {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        int millis = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        options.setConnectTimeoutMillis(millis);
        options.setResponseTimeoutMillis(millis);
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        List<ServerSet> servers = new ArrayList<>();
        for (String url : settings.urls()) {
            URI uri = URI.create(url);
            boolean tls = uri.getScheme().equalsIgnoreCase("ldaps");
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 636 : 389;
            if (tls) {
                try {
                    // The JVM's trust store: javax.net.ssl.trustStore when set, else cacerts.
                    TrustManagerFactory trust =
                            TrustManagerFactory.getInstance(
                                    TrustManagerFactory.getDefaultAlgorithm());
                    trust.init((KeyStore) null);
                    SSLUtil ssl = new SSLUtil(trust.getTrustManagers());
                    servers.add(
                            new SingleServerSet(
                                    uri.getHost(), port, ssl.createSSLSocketFactory(), options));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("cannot set up TLS for " + url + ": " + e, e);
                }
            } else {
                servers.add(new SingleServerSet(uri.getHost(), port, options));
            }
        }
        return servers.size() == 1 ? servers.get(0) : new FailoverServerSet(servers);
    }

    @Override
    public Optional<Entry> lookup(Mailbox mailbox) throws DirectoryUnavailable {
        return cache.get(mailbox.key(), () -> find(mailbox));
    }

    /**
     * One search for the address, without the members of a list: RCPT needs no more. A list already
     * looked up whole answers from the cache.
     */
    @Override
    public boolean exists(Mailbox mailbox) throws DirectoryUnavailable {
        Optional<Entry> known = cache.peek(mailbox.key());
        if (known != null) {
            return known.isPresent();
        }
        return cache.get("exists:" + mailbox.key(), () -> probe(mailbox)).isPresent();
    }

    private Optional<Entry> probe(Mailbox mailbox) throws DirectoryUnavailable {
        String filter = userOrGroup(mailbox);
        if (!search(settings.baseDn(), SearchScope.SUB, filter, List.of("1.1")).isEmpty()) {
            return Optional.of(new Entry.User(mailbox));
        }
        return owner(mailbox);
    }

    @Override
    public boolean healthy() {
        return !outage.isDown();
    }

    /** Searches done since the start: what a lookup cost (tests, the closing figures). */
    int searches() {
        return searches.get();
    }

    @Override
    public void reload() {
        cache.clear();
    }

    @Override
    public void watch(Duration interval) {
        // Nothing to poll: lookups go to the server, through the cache.
    }

    @Override
    public void close() {
        pool.close();
    }

    // ---- lookups ------------------------------------------------------------------------------

    private Optional<Entry> find(Mailbox mailbox) throws DirectoryUnavailable {
        String filter = userOrGroup(mailbox);
        List<String> attributes = new ArrayList<>(List.of("objectClass", "mail"));
        attributes.addAll(settings.memberAttributes());
        attributes.add(settings.mailMemberAttribute());
        attributes.add(settings.ownerAttribute());
        List<SearchResultEntry> found =
                search(settings.baseDn(), SearchScope.SUB, filter, attributes);
        if (found.isEmpty()) {
            return owner(mailbox);
        }
        SearchResultEntry entry = found.get(0);
        if (isGroup(entry)) {
            return Optional.of(new Entry.DistributionList(mailbox, members(entry)));
        }
        return Optional.of(new Entry.User(spelt(entry, mailbox)));
    }

    /**
     * {@code owner-<list>} that is no entry of its own: the owner of {@code <list>}, when the list
     * names one that has a valid mail.
     */
    private Optional<Entry> owner(Mailbox mailbox) throws DirectoryUnavailable {
        String local = mailbox.localPart();
        if (!local.regionMatches(true, 0, "owner-", 0, 6) || local.length() == 6) {
            return Optional.empty();
        }
        Mailbox list = new Mailbox(local.substring(6), mailbox.domain());
        if (!(lookup(list).orElse(null) instanceof Entry.DistributionList)) {
            return Optional.empty();
        }
        String filter = settings.groupFilter().replace("%s", Filter.encodeValue(list.address()));
        List<SearchResultEntry> groups =
                search(
                        settings.baseDn(),
                        SearchScope.SUB,
                        filter,
                        List.of(settings.ownerAttribute()));
        if (groups.isEmpty()
                || groups.get(0).getAttributeValue(settings.ownerAttribute()) == null) {
            return Optional.empty();
        }
        String ownerDn = groups.get(0).getAttributeValue(settings.ownerAttribute());
        Map<DN, SearchResultEntry> owners = entries(List.of(ownerDn));
        SearchResultEntry owner = owners.get(dn(ownerDn).orElse(null));
        if (owner == null || owner.getAttributeValue("mail") == null) {
            return Optional.empty();
        }
        return Addresses.parse(owner.getAttributeValue("mail")) instanceof ParseResult.Valid valid
                ? Optional.of(new Entry.User(valid.mailbox()))
                : Optional.empty();
    }

    /** The user filter or the group filter for {@code mailbox}: one search finds either. */
    private String userOrGroup(Mailbox mailbox) {
        String address = Filter.encodeValue(mailbox.address());
        return "(|"
                + settings.userFilter().replace("%s", address)
                + settings.groupFilter().replace("%s", address)
                + ")";
    }

    /** A user's mailbox as the directory spells it, if that is the address looked up. */
    private static Mailbox spelt(SearchResultEntry entry, Mailbox asked) {
        for (String mail : values(entry, "mail")) {
            if (Addresses.parse(mail) instanceof ParseResult.Valid valid
                    && valid.mailbox().key().equals(asked.key())) {
                return valid.mailbox();
            }
        }
        return asked;
    }

    private boolean isGroup(com.unboundid.ldap.sdk.Entry entry) {
        try {
            return Filter.create(settings.groupFilter().replace("%s", "*")).matchesEntry(entry);
        } catch (LDAPException e) {
            // A filter the SDK cannot evaluate here (an extensible match): go by object class.
            for (String objectClass : values(entry, "objectClass")) {
                String lower = objectClass.toLowerCase(Locale.ROOT);
                if (lower.equals("groupofnames")
                        || lower.equals("groupofuniquenames")
                        || lower.equals("group")) {
                    return true;
                }
            }
            return false;
        }
    }

    // ---- a group's members --------------------------------------------------------------------

    /** The group's members: its member DNs, resolved in batches, then its address members. */
    private List<Member> members(SearchResultEntry group) throws DirectoryUnavailable {
        String origin = group.getDN();
        List<String> dns = new ArrayList<>();
        for (String attribute : settings.memberAttributes()) {
            dns.addAll(ranged(group, attribute));
        }
        Map<DN, SearchResultEntry> entries = entries(dns);
        List<Member> members = new ArrayList<>(dns.size());
        for (String text : dns) {
            members.add(member(text, dn(text).map(entries::get), origin));
        }
        for (String text : values(group, settings.mailMemberAttribute())) {
            members.add(new Member(text, Addresses.parse(text), origin));
        }
        return members;
    }

    /** What the member DN {@code text} is, from its entry (empty: there is none). */
    private Member member(String text, Optional<SearchResultEntry> found, String origin) {
        if (found.isEmpty()) {
            return isolated(text, "no directory entry " + text, origin);
        }
        SearchResultEntry entry = found.get();
        String mail = entry.getAttributeValue("mail");
        if (mail == null) {
            return isolated(text, "directory entry " + text + " has no mail", origin);
        }
        ParseResult parsed = Addresses.parse(mail);
        if (parsed instanceof ParseResult.Invalid invalid) {
            return new Member(
                    mail,
                    new ParseResult.Invalid(
                            invalid.status(), invalid.reason() + " (mail of " + text + ")"),
                    origin);
        }
        if (isGroup(entry) || !(parsed instanceof ParseResult.Valid valid)) {
            // A nested list: the expansion looks it up by its mail, so loops are found by it.
            return new Member(mail, parsed, origin);
        }
        return new Member(mail, parsed, origin, Optional.of(new Entry.User(valid.mailbox())));
    }

    private static Member isolated(String text, String reason, String origin) {
        return new Member(text, new ParseResult.Invalid(Status.BAD_MAILBOX, reason), origin);
    }

    /**
     * The values of a DN-valued attribute, whole: Active Directory returns a large one in ranges
     * ({@code member;range=0-1499}); the rest is asked for until the range ends in {@code *}.
     */
    private List<String> ranged(SearchResultEntry group, String attribute)
            throws DirectoryUnavailable {
        List<String> values = new ArrayList<>(values(group, attribute));
        Optional<Attribute> range = rangeOf(group, attribute);
        while (range.isPresent()) {
            values.addAll(List.of(range.get().getValues()));
            String option = rangeOption(range.get()).orElseThrow();
            String end = option.substring(option.indexOf('-') + 1);
            if (end.equals("*")) {
                break;
            }
            long next = Long.parseLong(end) + 1;
            String ask = attribute + ";range=" + next + "-*";
            List<SearchResultEntry> more =
                    search(group.getDN(), SearchScope.BASE, "(objectClass=*)", List.of(ask));
            range = more.isEmpty() ? Optional.empty() : rangeOf(more.get(0), attribute);
        }
        return values;
    }

    private static Optional<Attribute> rangeOf(com.unboundid.ldap.sdk.Entry entry, String name) {
        for (Attribute attribute : entry.getAttributes()) {
            if (attribute.getBaseName().equalsIgnoreCase(name)
                    && rangeOption(attribute).isPresent()) {
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> rangeOption(Attribute attribute) {
        for (String option : attribute.getOptions()) {
            if (option.toLowerCase(Locale.ROOT).startsWith("range=")) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }

    /**
     * The entries of {@code dns} that exist, by DN, {@value #BATCH} to a search: the DNs that share
     * a parent and a naming attribute (the usual {@code uid=…,ou=people}) are asked for together
     * under that parent ({@code (|(uid=a)(uid=b)…)}, one level), which a directory answers from its
     * index on the naming attribute; a DN with a multi-valued RDN by {@code entryDN}.
     */
    private Map<DN, SearchResultEntry> entries(List<String> dns) throws DirectoryUnavailable {
        Map<List<String>, List<String>> byParent = new java.util.LinkedHashMap<>();
        for (String text : dns) {
            Optional<DN> parsed = dn(text);
            if (parsed.isEmpty() || parsed.get().getRDN() == null) {
                continue;
            }
            DN dn = parsed.get();
            String component =
                    dn.getRDN().isMultiValued()
                            ? "(entryDN=" + Filter.encodeValue(text) + ")"
                            : "("
                                    + dn.getRDN().getAttributeNames()[0]
                                    + "="
                                    + Filter.encodeValue(dn.getRDN().getAttributeValues()[0])
                                    + ")";
            List<String> key =
                    dn.getRDN().isMultiValued()
                            ? List.of(settings.baseDn(), "sub")
                            : List.of(
                                    dn.getParentString() == null ? "" : dn.getParentString(),
                                    dn.getRDN().getAttributeNames()[0].toLowerCase(Locale.ROOT));
            byParent.computeIfAbsent(key, k -> new ArrayList<>()).add(component);
        }
        Map<DN, SearchResultEntry> found = new HashMap<>();
        for (Map.Entry<List<String>, List<String>> group : byParent.entrySet()) {
            String base = group.getKey().get(0);
            SearchScope scope =
                    group.getKey().get(1).equals("sub") ? SearchScope.SUB : SearchScope.ONE;
            List<String> components = group.getValue();
            for (int from = 0; from < components.size(); from += BATCH) {
                String filter =
                        "(|"
                                + String.join(
                                        "",
                                        components.subList(
                                                from, Math.min(components.size(), from + BATCH)))
                                + ")";
                for (SearchResultEntry entry :
                        search(base, scope, filter, List.of("objectClass", "mail"))) {
                    dn(entry.getDN()).ifPresent(dn -> found.put(dn, entry));
                }
            }
        }
        return found;
    }

    private static Optional<DN> dn(String text) {
        try {
            return Optional.of(new DN(text));
        } catch (LDAPException e) {
            return Optional.empty();
        }
    }

    private static List<String> values(com.unboundid.ldap.sdk.Entry entry, String attribute) {
        String[] values = entry.getAttributeValues(attribute);
        return values == null ? List.of() : List.of(values);
    }

    /**
     * One search. No such base is no entry; a size limit keeps what came; anything else the server
     * or the network says is {@link DirectoryUnavailable}, and starts an outage.
     */
    private List<SearchResultEntry> search(
            String base, SearchScope scope, String filter, List<String> attributes)
            throws DirectoryUnavailable {
        return run(base, scope, filter, attributes, Optional.empty()).getSearchEntries();
    }

    /**
     * {@link #search} with a request control, answered whole: a result with its result code when
     * that is no such base (no entries) or a size limit (the entries that came), else {@link
     * DirectoryUnavailable}.
     */
    private SearchResult run(
            String base,
            SearchScope scope,
            String filter,
            List<String> attributes,
            Optional<Control> control)
            throws DirectoryUnavailable {
        outage.checkHoldOff();
        searches.incrementAndGet();
        try {
            SearchRequest request =
                    new SearchRequest(base, scope, filter, attributes.toArray(String[]::new));
            control.ifPresent(request::addControl);
            request.setResponseTimeoutMillis(settings.timeout().toMillis());
            request.setTimeLimitSeconds((int) Math.max(1, settings.timeout().toSeconds()));
            SearchResult result = pool.search(request);
            outage.up();
            return result;
        } catch (LDAPSearchException e) {
            if (ResultCode.NO_SUCH_OBJECT.equals(e.getResultCode())
                    || ResultCode.SIZE_LIMIT_EXCEEDED.equals(e.getResultCode())) {
                outage.up();
                return e.getSearchResult();
            }
            throw outage.down(e);
        } catch (LDAPException e) {
            throw outage.down(e);
        }
    }

    // ---- every list ---------------------------------------------------------------------------

    /**
     * Every entry under {@code baseDn} that {@code groupFilter} matches for any address (its {@code
     * %s} as {@code *}, as {@link #isGroup} reads it), by its first {@code mail} that is a valid
     * address; a group without one cannot be mailed, so it is no list. Asked for {@value #PAGE} at
     * a time (RFC 2696 simple paged results, which OpenLDAP and Active Directory answer past their
     * size limits). A server that stops at a size limit all the same is unavailable for this: a
     * partial set of lists would read as a clean bill of health.
     */
    @Override
    public List<Mailbox> distributionLists() throws DirectoryUnavailable {
        String filter = settings.groupFilter().replace("%s", "*");
        List<Mailbox> lists = new ArrayList<>();
        Optional<ASN1OctetString> cookie = Optional.empty();
        do {
            SearchResult page =
                    run(
                            settings.baseDn(),
                            SearchScope.SUB,
                            filter,
                            List.of("mail"),
                            Optional.of(
                                    new SimplePagedResultsControl(
                                            PAGE, cookie.orElse(null), false)));
            if (ResultCode.SIZE_LIMIT_EXCEEDED.equals(page.getResultCode())) {
                throw new DirectoryUnavailable(
                        "directory unavailable: the server stopped at its size limit after "
                                + (lists.size() + page.getEntryCount())
                                + " groups, paged results or not",
                        null);
            }
            for (SearchResultEntry entry : page.getSearchEntries()) {
                for (String mail : values(entry, "mail")) {
                    if (Addresses.parse(mail) instanceof ParseResult.Valid valid) {
                        lists.add(valid.mailbox());
                        break;
                    }
                }
            }
            cookie = nextPage(page);
        } while (cookie.isPresent());
        return lists;
    }

    /**
     * The cookie that asks for the page after {@code page}: none after the last, nor from a server
     * that ignores paging (it sent everything at once).
     */
    private static Optional<ASN1OctetString> nextPage(SearchResult page)
            throws DirectoryUnavailable {
        try {
            SimplePagedResultsControl paged = SimplePagedResultsControl.get(page);
            return paged != null && paged.moreResultsToReturn()
                    ? Optional.of(paged.getCookie())
                    : Optional.empty();
        } catch (LDAPException e) {
            throw new DirectoryUnavailable(
                    "directory unavailable: a paged result the SDK cannot read: "
                            + e.getExceptionMessage(false, false),
                    e);
        }
    }
}
