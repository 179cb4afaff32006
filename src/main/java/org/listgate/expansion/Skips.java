package org.listgate.expansion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.listgate.directory.Member;

/**
 * The members an expansion skips without isolating them, recorded for {@link Expander#check}: a
 * list met again inside itself (a loop, with its path), and a mailbox, list or bad member met a
 * second time (a duplicate, with where it was met first).
 *
 * <p>A message's expansion uses {@link #NONE}, shared and never written: it keeps nothing and costs
 * nothing per member, as the expansion of a large list must not (README, "Expansion"). So it is
 * handed the member itself, and asks for its origin (written on each call) only when recording.
 */
final class Skips {

    /** Records nothing: a message's expansion. */
    static final Skips NONE = new Skips(false);

    /**
     * What a bad member's key starts with, where it was met first: its own namespace, apart from
     * the mailboxes' and lists' keys.
     */
    private static final String ISOLATED = "isolated:";

    /** The most lists a loop's path shows, the outermost and innermost ones. */
    private static final int MAX_PATH_SHOWN = 8;

    private final boolean recording;
    private final List<Expansion.Skipped> skipped = new ArrayList<>(0);

    /** Where each mailbox, list and bad member was met first, by its key in the expansion. */
    private final Map<String, String> firstAt = new HashMap<>();

    private Skips(boolean recording) {
        this.recording = recording;
    }

    /** A new record, for one {@link Expander#check}. */
    static Skips recording() {
        return new Skips(true);
    }

    /** {@code key} was met for the first time, written as {@code member} (a RCPT: nowhere). */
    void first(String key, Member member) {
        if (recording) {
            firstAt.put(key, member.origin());
        }
    }

    /** The bad member written as {@code folded} (stripped, lower case) was isolated first. */
    void firstIsolated(String folded, Member member) {
        if (recording) {
            first(ISOLATED + folded, member);
        }
    }

    /**
     * A mailbox or a bad member met again, written {@code text} as {@code member}: a duplicate;
     * {@code what} says what it is already.
     */
    void again(String text, Optional<String> list, Member member, String key, String what) {
        if (!recording) {
            return;
        }
        String first = firstAt.getOrDefault(key, "");
        skipped.add(
                new Expansion.Skipped(
                        text,
                        list,
                        Expander.origin(member.origin()),
                        Expansion.Skipped.Kind.DUPLICATE,
                        what + (first.isEmpty() ? "" : " (first at " + first + ")")));
    }

    /** The bad member written as {@code folded} (stripped, lower case) met again. */
    void againIsolated(String text, Optional<String> list, Member member, String folded) {
        if (recording) {
            again(text, list, member, ISOLATED + folded, "already isolated");
        }
    }

    /**
     * The list {@code name} met again, as {@code member} of {@code list}. {@code path} gives the
     * lists being expanded from {@code name} down to {@code list} (empty when {@code name} is not
     * being expanded); it is asked for only when recording, as it costs the depth of the nesting.
     */
    void listAgain(
            String name,
            String key,
            Member member,
            Optional<String> list,
            Supplier<List<String>> path) {
        if (!recording) {
            return;
        }
        List<String> loop = new ArrayList<>(path.get());
        if (loop.isEmpty()) {
            again(member.text(), list, member, key, "list " + name + " already expanded");
            return;
        }
        loop.add(name);
        skipped.add(
                new Expansion.Skipped(
                        member.text(),
                        list,
                        Expander.origin(member.origin()),
                        Expansion.Skipped.Kind.LOOP,
                        "loop: " + shown(loop)));
    }

    List<Expansion.Skipped> skipped() {
        return skipped;
    }

    /**
     * A loop's path, {@code a -> b -> a}; a long one as its {@value #MAX_PATH_SHOWN} outermost and
     * innermost lists with {@code ...} between, so that a loop 10,000 lists deep stays one short
     * line.
     */
    private static String shown(List<String> path) {
        if (path.size() <= MAX_PATH_SHOWN) {
            return String.join(" -> ", path);
        }
        int half = MAX_PATH_SHOWN / 2;
        return String.join(" -> ", path.subList(0, half))
                + " -> ... -> "
                + String.join(" -> ", path.subList(path.size() - half, path.size()));
    }
}
