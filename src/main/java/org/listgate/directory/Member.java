package org.listgate.directory;

import java.util.Objects;
import java.util.Optional;
import org.listgate.address.ParseResult;

/**
 * One member of a list as written ({@code text}), what the address parser made of it, and where it
 * was written ({@code file:line}, or the LDAP group's DN). A member that is not a valid address is
 * kept: it is isolated when a message is expanded, not when the directory is read. {@code entry} is
 * what the member is, when the directory already knows it (an LDAP member fetched with its group):
 * the expansion then does not look it up again.
 *
 * <p>A value (equal when its four accessors are), but kept small: a lists file of a million members
 * keeps a million of them. The text is not kept when it is the parsed address, as it is for nearly
 * every member (it is given back from the mailbox); the origin in a file is that file's name,
 * shared by all its members, and a line number, and {@link #origin()} writes {@code file:line} only
 * when asked (an isolated member, {@code listgate lists check}).
 */
public final class Member {

    /** As written; null when it is the parsed mailbox's address. */
    private final String text;

    private final ParseResult parsed;

    /** The file the member is written in when {@link #line} is positive; else the whole origin. */
    private final String where;

    /** The line of {@link #where}; 0 when {@link #where} is the whole origin. */
    private final int line;

    private final Optional<Entry> entry;

    public Member(String text, ParseResult parsed, String origin, Optional<Entry> entry) {
        this(text, parsed, origin, 0, entry);
    }

    /** A member written as an address (a line of the lists file, an LDAP address-valued member). */
    public Member(String text, ParseResult parsed, String origin) {
        this(text, parsed, origin, 0, Optional.empty());
    }

    /** A member written in {@code file} at {@code line} (1 or more). */
    Member(String text, ParseResult parsed, String file, int line) {
        this(text, parsed, file, line, Optional.empty());
        if (line <= 0) {
            throw new IllegalArgumentException("line " + line);
        }
    }

    private Member(String text, ParseResult parsed, String where, int line, Optional<Entry> entry) {
        this.text = isAddress(text, parsed) ? null : Objects.requireNonNull(text);
        this.parsed = Objects.requireNonNull(parsed);
        this.where = Objects.requireNonNull(where);
        this.line = line;
        this.entry = Objects.requireNonNull(entry);
    }

    private static boolean isAddress(String text, ParseResult parsed) {
        return parsed instanceof ParseResult.Valid valid && valid.mailbox().address().equals(text);
    }

    /** As written in the list. */
    public String text() {
        return text != null ? text : ((ParseResult.Valid) parsed).mailbox().address();
    }

    public ParseResult parsed() {
        return parsed;
    }

    /**
     * Where it is written: {@code file:line}, the LDAP group's DN, or empty (a RCPT). Written on
     * each call for a member of a file.
     */
    public String origin() {
        return line > 0 ? where + ":" + line : where;
    }

    public Optional<Entry> entry() {
        return entry;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Member member
                && text().equals(member.text())
                && parsed.equals(member.parsed)
                && origin().equals(member.origin())
                && entry.equals(member.entry);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text(), parsed, origin(), entry);
    }

    @Override
    public String toString() {
        return "Member[text="
                + text()
                + ", parsed="
                + parsed
                + ", origin="
                + origin()
                + ", entry="
                + entry
                + "]";
    }
}
