package org.listgate.address;

/**
 * A set of mailbox keys ({@link Mailbox#key()}): the users of a large directory, the recipients an
 * expansion has met. One table of the strings themselves, at most half full (open addressing,
 * linear probing), and nothing else: a {@link java.util.HashSet} keeps a 32-byte node for each key
 * besides its table, which for a million keys is 32 MB.
 *
 * <p>A key's hash is mixed before it picks a slot. Keys alike but for a counter ({@code
 * u1@example.test}, {@code u2@...}, as a generated or numbered directory has them) have string
 * hashes in arithmetic progressions, which fill runs of a table indexed by the bare hash (as {@code
 * Set.copyOf}'s is): a lookup then walks a long run of equal-length keys, and a million-member
 * expansion spent most of its time there.
 *
 * <p>Not safe for concurrent change; a set no longer changed may be read by many threads once it is
 * safely published.
 */
public final class KeySet {

    /** The longest table: an array's largest length, less a margin. */
    private static final int MAX_TABLE = Integer.MAX_VALUE - 8;

    private String[] table;
    private int size;

    /** An empty set. */
    public KeySet() {
        this(8);
    }

    /** An empty set with room for {@code keys} keys without growing. */
    public KeySet(int keys) {
        table = new String[length(keys)];
    }

    /** Adds {@code key}; false when it was there already. */
    public boolean add(String key) {
        int i = slot(key);
        for (String there = table[i]; there != null; there = table[i]) {
            if (same(there, key)) {
                return false;
            }
            i = next(i);
        }
        table[i] = key;
        size++;
        if (size > table.length / 2) {
            resize(length(size * 2L));
        }
        return true;
    }

    /**
     * Whether {@code key} is in the set. The very string is looked for first: a list member written
     * as the users file writes it shares the user's string, so most lookups of a large expansion
     * end there without reading any other key (each a likely cache miss in a table of a million).
     */
    @SuppressWarnings("ReferenceEquality") // the same instance first, then equal strings
    public boolean contains(String key) {
        int start = slot(key);
        for (int i = start; table[i] != null; i = next(i)) {
            if (table[i] == key) {
                return true;
            }
        }
        for (int i = start; table[i] != null; i = next(i)) {
            if (same(table[i], key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes room for {@code keys} keys in all, so that adding up to that many grows nothing. Room
     * asked for a little at a time (one nested list after another) still grows the table by
     * doubling it, not by a little each time.
     */
    public void ensureCapacity(int keys) {
        int length = length(keys);
        if (length > table.length) {
            resize((int) Math.min(Math.max(length, 2L * table.length), MAX_TABLE));
        }
    }

    public int size() {
        return size;
    }

    /**
     * {@code there.equals(key)}, the strings' cached hashes compared first: a key met on the way to
     * another is then told apart without reading its characters, one memory access fewer.
     */
    private static boolean same(String there, String key) {
        return there.hashCode() == key.hashCode() && there.equals(key);
    }

    /** A table at most half full with {@code keys} keys (and at least 16 long). */
    private static int length(long keys) {
        return (int) Math.min(Math.max(16, 2 * keys + 1), MAX_TABLE);
    }

    /**
     * Where {@code key}'s search starts: its hash mixed (MurmurHash3's finalizer), then scaled to
     * the table's length by a multiplication, which needs no power-of-two length.
     */
    private int slot(String key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return (int) (((h & 0xFFFFFFFFL) * table.length) >>> 32);
    }

    private int next(int i) {
        return i + 1 == table.length ? 0 : i + 1;
    }

    private void resize(int length) {
        String[] old = table;
        table = new String[length];
        for (String key : old) {
            if (key != null) {
                int i = slot(key);
                while (table[i] != null) {
                    i = next(i);
                }
                table[i] = key;
            }
        }
    }
}
