package org.listgate.replay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A distribution list as Pegasus Mail users kept them: {@code size} members, a share of them
 * invalid in the ways of {@link Kind}, all of it determined by the seed.
 *
 * <p>The invalid places are drawn at random; their kinds go round the catalogue in an order
 * shuffled afresh for every round, so a list with at least fifteen invalid members holds every kind
 * and no kind has more than one member more than another. Valid members are {@code u1}, {@code u2},
 * ... in the list's domain; a duplicate repeats one of them; a loop is a nested list {@code
 * <list>-loop<n>} whose one member is the list itself. The generator is {@link Random} with the
 * seed, whose sequence the Java platform fixes, so a seed means the same list everywhere.
 */
public final class Scenario {

    /** One member of the list. */
    /**
     * One member: its place in the list (from 1), its kind, its text as written in the lists file
     * and sent in RCPT TO, and the mailbox that should get a copy because of it, if any.
     */
    public record Member(int index, Kind kind, String text, Optional<String> mailbox) {}

    private final long seed;
    private final double invalidRatio;
    private final String list;
    private final String domain;
    private final List<Member> members;

    private Scenario(
            long seed, double invalidRatio, String list, String domain, List<Member> members) {
        this.seed = seed;
        this.invalidRatio = invalidRatio;
        this.list = list;
        this.domain = domain;
        this.members = List.copyOf(members);
    }

    /**
     * The scenario of {@code seed}: {@code size} members of list {@code list} in {@code domain},
     * {@code round(size * invalidRatio)} of them not valid.
     */
    public static Scenario generate(
            long seed, int size, double invalidRatio, String list, String domain) {
        if (size < 1) {
            throw new IllegalArgumentException("a list needs at least one member");
        }
        if (!(invalidRatio >= 0 && invalidRatio <= 1)) {
            throw new IllegalArgumentException("the invalid ratio is between 0 and 1");
        }
        Random random = new Random(seed);
        int invalid = (int) Math.round(size * invalidRatio);
        boolean[] invalidAt = new boolean[size];
        int[] places = new int[size];
        for (int i = 0; i < size; i++) {
            places[i] = i;
        }
        for (int i = 0; i < invalid; i++) {
            int j = i + random.nextInt(size - i);
            int swap = places[i];
            places[i] = places[j];
            places[j] = swap;
            invalidAt[places[i]] = true;
        }
        int valid = size - invalid;
        List<Kind> kinds = kinds(random, invalid, valid > 0);
        List<Member> members = new ArrayList<>(size);
        Map<Kind, Integer> written = new EnumMap<>(Kind.class);
        int nextValid = 0;
        int nextKind = 0;
        for (int i = 0; i < size; i++) {
            int index = i + 1;
            if (!invalidAt[i]) {
                nextValid++;
                String address = "u" + nextValid + "@" + domain;
                members.add(new Member(index, Kind.VALID, address, Optional.of(address)));
                continue;
            }
            Kind kind = kinds.get(nextKind++);
            int n = written.merge(kind, 1, Integer::sum);
            members.add(
                    switch (kind) {
                        case DUPLICATE -> {
                            // A twin of a valid member, wherever in the list that member is.
                            String twin = "u" + (1 + random.nextInt(valid)) + "@" + domain;
                            yield new Member(index, kind, twin, Optional.of(twin));
                        }
                        case LIST_LOOP ->
                                new Member(
                                        index,
                                        kind,
                                        loopList(list, n) + "@" + domain,
                                        Optional.empty());
                        case SOURCE_ROUTE ->
                                new Member(
                                        index,
                                        kind,
                                        kind.write(n, domain),
                                        Optional.of(Kind.routedUser(n, domain)));
                        default -> new Member(index, kind, kind.write(n, domain), Optional.empty());
                    });
        }
        return new Scenario(seed, invalidRatio, list, domain, members);
    }

    /** {@code count} kinds, round after round of the catalogue in a fresh order each. */
    private static List<Kind> kinds(Random random, int count, boolean duplicatesPossible) {
        List<Kind> catalogue = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            if (kind != Kind.VALID && (kind != Kind.DUPLICATE || duplicatesPossible)) {
                catalogue.add(kind);
            }
        }
        List<Kind> kinds = new ArrayList<>(count);
        while (kinds.size() < count) {
            Collections.shuffle(catalogue, random);
            kinds.addAll(catalogue.subList(0, Math.min(catalogue.size(), count - kinds.size())));
        }
        return kinds;
    }

    static String loopList(String list, int n) {
        return list + "-loop" + n;
    }

    public long seed() {
        return seed;
    }

    public double invalidRatio() {
        return invalidRatio;
    }

    /** The list's name, its local part. */
    public String list() {
        return list;
    }

    public String domain() {
        return domain;
    }

    /** {@code <list>@<domain>}. */
    public String listAddress() {
        return list + "@" + domain;
    }

    public List<Member> members() {
        return members;
    }

    /** How many members of each kind, every kind present (zero if none). */
    public Map<Kind, Integer> counts() {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            counts.put(kind, 0);
        }
        members.forEach(member -> counts.merge(member.kind(), 1, Integer::sum));
        return counts;
    }

    /**
     * The mailboxes that exist: every valid member and every source-routed one, in list order, once
     * each, lower case.
     */
    public List<String> users() {
        List<String> users = new ArrayList<>();
        for (Member member : members) {
            if (member.kind() != Kind.DUPLICATE) {
                member.mailbox().ifPresent(mailbox -> users.add(mailbox.toLowerCase(Locale.ROOT)));
            }
        }
        return users;
    }

    /** The nested lists that loop back into the list, by name. */
    public List<String> loopLists() {
        List<String> loops = new ArrayList<>();
        int n = 0;
        for (Member member : members) {
            if (member.kind() == Kind.LIST_LOOP) {
                loops.add(loopList(list, ++n));
            }
        }
        return loops;
    }

    /**
     * The same scenario with each member named as listgate names it when it reads the list from the
     * LDAP directory that {@code replay --ldif} writes ({@link LdapForm}): a member written as the
     * DN of no entry, or of an entry without mail, by that DN; the 8-bit kind by its 7-bit form;
     * every other member by its text as in the files. Kinds, places and mailboxes are unchanged, so
     * is every expected fate. For the server-list judge ({@code replay --ldap}); a client-list send
     * sends each member's address, so it uses the scenario as it is.
     */
    public Scenario inLdapForm() {
        List<Member> named = new ArrayList<>(members.size());
        for (LdapForm.Written written : LdapForm.of(this)) {
            Member member = written.member();
            named.add(new Member(member.index(), member.kind(), written.text(), member.mailbox()));
        }
        return new Scenario(seed, invalidRatio, list, domain, named);
    }

    /**
     * What Pegasus Mail sends RCPT TO for when it expands the list itself: every member in order,
     * duplicates included, except the nested list that leads back into the list (it expands nested
     * lists itself and stops at a loop).
     */
    public List<Member> clientRecipients() {
        return members.stream().filter(member -> member.kind() != Kind.LIST_LOOP).toList();
    }
}
