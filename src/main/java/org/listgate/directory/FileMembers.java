package org.listgate.directory;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;

/**
 * The members of a list read from one file, kept in three arrays rather than a {@link Member} each:
 * a directory of 100,000-member lists is mostly members. A member is made when asked for ({@link
 * #get}), equal to the one that was added; the list cannot be changed once {@link #seal sealed}.
 *
 * <p>Each member keeps its mailbox (shared with the user's, for a member written as the users file
 * writes it) or, when invalid, its parse result; its text only when that is not the mailbox's
 * address; and its line in {@link #file}. About 12 bytes a member, against 50 for a {@code Member}
 * with its parse result.
 */
final class FileMembers extends AbstractList<Member> implements RandomAccess {

    private final String file;
    private Object[] parsed;
    private String[] texts;
    private int[] lines;
    private int size;
    private boolean sealed;

    FileMembers(String file, int capacity) {
        this.file = file;
        this.parsed = new Object[Math.max(1, capacity)];
        this.texts = new String[parsed.length];
        this.lines = new int[parsed.length];
    }

    /** Adds a member written at {@code line} (1 or more) of {@link #file}. */
    void add(String text, ParseResult result, int line) {
        if (sealed) {
            throw new IllegalStateException("sealed");
        }
        if (line <= 0) {
            throw new IllegalArgumentException("line " + line);
        }
        if (size == parsed.length) {
            int grown = size + Math.max(1, size / 2);
            parsed = java.util.Arrays.copyOf(parsed, grown);
            texts = java.util.Arrays.copyOf(texts, grown);
            lines = java.util.Arrays.copyOf(lines, grown);
        }
        if (result instanceof ParseResult.Valid valid) {
            parsed[size] = valid.mailbox();
            texts[size] = valid.mailbox().address().equals(text) ? null : text;
        } else {
            parsed[size] = Objects.requireNonNull(result);
            texts[size] = Objects.requireNonNull(text);
        }
        lines[size] = line;
        size++;
    }

    /** No more members; the arrays are trimmed to them. */
    FileMembers seal() {
        sealed = true;
        if (size < parsed.length) {
            parsed = java.util.Arrays.copyOf(parsed, size);
            texts = java.util.Arrays.copyOf(texts, size);
            lines = java.util.Arrays.copyOf(lines, size);
        }
        return this;
    }

    boolean sealed() {
        return sealed;
    }

    @Override
    public Member get(int index) {
        Objects.checkIndex(index, size);
        Object kept = parsed[index];
        if (kept instanceof Mailbox mailbox) {
            String text = texts[index];
            return new Member(
                    text != null ? text : mailbox.address(),
                    new ParseResult.Valid(mailbox),
                    file,
                    lines[index]);
        }
        return new Member(texts[index], (ParseResult) kept, file, lines[index]);
    }

    @Override
    public int size() {
        return size;
    }
}
