package org.listgate.replay;

import java.util.Locale;

/**
 * The catalogue of list members: one valid kind and fifteen that a distribution list of the Pegasus
 * era held by mistake, each with the fate a correct server gives it.
 *
 * <p>The fates are those of RFC 5321 as listgate applies them to a trusted client (in {@code
 * relay.networks}, as the Pegasus user's host is) with no relay host (so another domain is not
 * deliverable): at RCPT a syntax error is {@code 501 5.1.3}, an unknown user {@code 550 5.1.1}, an
 * 8-bit address {@code 553 5.6.7}, another domain {@code 550 5.4.4}; during list expansion the same
 * members are isolated with 5.1.3, 5.1.1 and 5.4.4. A source route is accepted and ignored (RFC
 * 5321 §3.6.1 and Appendix C), so its member is delivered. A duplicate and a loop back into the
 * list are not recipients at all (RFC 5321 §3.9): the one is merged with its twin, the other
 * skipped.
 */
public enum Kind {
    VALID("valid member", Fate.DELIVER, null, 250, null),
    UNKNOWN_USER("unknown local user", Fate.REFUSE, "5.1.1", 550, "5.1.1"),
    MISSING_AT("missing @", Fate.REFUSE, "5.1.3", 501, "5.1.3"),
    DOUBLE_AT("double @", Fate.REFUSE, "5.1.3", 501, "5.1.3"),
    EMPTY_LOCAL_PART("empty local part", Fate.REFUSE, "5.1.3", 501, "5.1.3"),
    OVERLONG_LOCAL_PART("local part over 64", Fate.REFUSE, "5.1.3", 501, "5.1.3"),
    OVERLONG_DOMAIN("domain over 255", Fate.REFUSE, "5.1.3", 501, "5.1.3"),
    DOTS("consecutive or trailing dot", Fate.REFUSE, "5.1.3", 501, "5.1.3"),
    UNBALANCED("unbalanced quote or bracket", Fate.REFUSE, "5.1.3", 501, "5.1.3"),
    CONTROL_CHARACTER("control character", Fate.REFUSE, "5.1.3", 501, "5.1.3"),
    EIGHT_BIT("8-bit without SMTPUTF8", Fate.REFUSE, "5.1.3", 553, "5.6.7"),
    SOURCE_ROUTE("source route", Fate.DELIVER, null, 250, null),
    IP_LITERAL("IP literal, no local host", Fate.REFUSE, "5.4.4", 550, "5.4.4"),
    NON_LOCAL_DOMAIN("non-local domain", Fate.REFUSE, "5.4.4", 550, "5.4.4"),
    DUPLICATE("duplicate", Fate.MERGE, null, 250, null),
    LIST_LOOP("nested list loop", Fate.SKIP, null, 0, null);

    /** What a correct server does with such a member. */
    enum Fate {
        /** It gets one copy. */
        DELIVER,
        /** It is refused at RCPT, or isolated (4037) when a list holds it. */
        REFUSE,
        /** It is its twin: the mailbox gets one copy, not two. */
        MERGE,
        /** It is not a recipient: a list met again while it is expanded. */
        SKIP
    }

    private final String label;
    private final Fate fate;
    private final String isolationStatus;
    private final int rcptCode;
    private final String rcptStatus;

    Kind(String label, Fate fate, String isolationStatus, int rcptCode, String rcptStatus) {
        this.label = label;
        this.fate = fate;
        this.isolationStatus = isolationStatus;
        this.rcptCode = rcptCode;
        this.rcptStatus = rcptStatus;
    }

    /** Words for a table: "unknown local user". */
    public String label() {
        return label;
    }

    /** The name used in JSON and on the command line: "unknown-user". */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    Fate fate() {
        return fate;
    }

    /** The enhanced status a list member of this kind is isolated with; null if it is not. */
    String isolationStatus() {
        return isolationStatus;
    }

    /** The reply code its own RCPT gets: 250, or the refusal's code; 0 if it is never sent. */
    int rcptCode() {
        return rcptCode;
    }

    /** The enhanced status of the RCPT refusal; null if it is accepted. */
    String rcptStatus() {
        return rcptStatus;
    }

    /**
     * The member as written in the list: the {@code n}-th of its kind ({@code n} from 1), in {@code
     * domain}. Not for {@link #VALID}, {@link #DUPLICATE} and {@link #LIST_LOOP}, which depend on
     * the rest of the scenario.
     */
    String write(int n, String domain) {
        return switch (this) {
            case UNKNOWN_USER -> "ghost" + n + "@" + domain;
            case MISSING_AT -> "nobody" + n + "." + domain;
            case DOUBLE_AT -> "two" + n + "@@" + domain;
            case EMPTY_LOCAL_PART -> "@host" + n + "." + domain;
            case OVERLONG_LOCAL_PART -> "long" + n + "x".repeat(64) + "@" + domain;
            case OVERLONG_DOMAIN -> "user" + n + "@" + overlongDomain(n, domain);
            case DOTS ->
                    n % 2 == 1 ? "dot..dot" + n + "@" + domain : "trailing" + n + ".@" + domain;
            case UNBALANCED ->
                    n % 2 == 1 ? "\"unbalanced" + n + "@" + domain : "<angle" + n + "@" + domain;
            case CONTROL_CHARACTER -> "bell\u0007" + n + "@" + domain;
            case EIGHT_BIT -> "j\u00f6rg" + n + "@" + domain;
            case SOURCE_ROUTE -> "@relay" + n + ".example.net:" + routedUser(n, domain);
            case IP_LITERAL -> "member" + n + "@[192.0.2." + (1 + (n - 1) % 254) + "]";
            case NON_LOCAL_DOMAIN -> "member" + n + "@elsewhere.test";
            case VALID, DUPLICATE, LIST_LOOP ->
                    throw new IllegalStateException(this + " is not written alone");
        };
    }

    /** The mailbox a source-routed member reaches once its route is dropped. */
    static String routedUser(int n, String domain) {
        return "routed" + n + "@" + domain;
    }

    /** Four 62-octet labels before the domain: over the 255 octets of RFC 5321 §4.5.3.1.2. */
    private static String overlongDomain(int n, String domain) {
        String label = ("d" + n + "-").concat("x".repeat(62)).substring(0, 62);
        return String.join(".", label, label, label, label, domain);
    }
}
