package org.listgate.events;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Text from outside — a client's argument or HELO name, a remote server's reply, an exception's
 * message, a line of a directory file — made fit for the one place it is written. Each operation
 * says which characters it replaces and how long its result may be; they differ where their places
 * differ:
 *
 * <pre>
 * operation   for                                   replaced                           limit
 * cut         an event field, a one-line message    nothing                            max, then "..."
 * visible     a line of a file, a log line          C0 controls, DEL  → ?              none
 * word        a client's word in our header         all but U+0021–U+007E → ?          none, or max
 * oneLine     a header field value                  controls, separators, white space  max, then "..."
 *                                                   → one space
 * escaped     a terminal, the console               controls, format, separators,      none
 *                                                   lone surrogates → \r \n \t \\uXXXX
 * </pre>
 *
 * {@code cut} replaces nothing because the event log escapes on output ({@link EventJson} and
 * {@link #escaped}); non-ASCII is kept wherever the place can hold it, so a name in another script
 * stays readable.
 *
 * <p>SECURITY: no CR, LF or NUL survives {@code visible}, {@code word}, {@code oneLine} or {@code
 * escaped}, so a value cannot forge a second line, field or header. A cut never splits a surrogate
 * pair. Nothing here throws for any input.
 */
public final class Text {

    /** The longest event field taken from a client, in characters, before its "...". */
    public static final int FIELD_LIMIT = 256;

    private static final String MARK = "...";

    private Text() {}

    /** {@link #cut(String, int)} at {@link #FIELD_LIMIT}: a client's argument in an event. */
    public static String cut(String text) {
        return cut(text, FIELD_LIMIT);
    }

    /**
     * At most {@code max} characters of {@code text}, then {@code ...} if there was more (so up to
     * {@code max + 3} in all). No character is replaced.
     */
    public static String cut(String text, int max) {
        return text.length() <= max ? text : prefix(text, max) + MARK;
    }

    /**
     * Every C0 control character (U+0000 to U+001F: NUL, TAB, LF, CR, ESC, ...) and DEL becomes
     * {@code ?}; everything else, non-ASCII included, stays. The length is unchanged.
     */
    public static String visible(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return out.toString();
    }

    /**
     * Printable US-ASCII without the space (U+0021 to U+007E) stays; every other code point —
     * space, TAB, CR, LF, NUL, DEL, any non-ASCII character, a lone surrogate — becomes one {@code
     * ?}. Not cut.
     */
    public static String word(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.append(c >= 0x21 && c <= 0x7E ? (char) c : '?'));
        return out.toString();
    }

    /**
     * {@link #word(String)}, at most {@code max} characters: the rest is dropped without a mark, so
     * that what is left is still one word of at most {@code max} (a host name in {@code
     * Received:}).
     */
    public static String word(String text, int max) {
        String word = word(text);
        return word.length() <= max ? word : word.substring(0, max);
    }

    /**
     * A header field value: CR, LF and every other control character, the Unicode line and
     * paragraph separators and every white space character become a space, each run of them one
     * space, none at either end. Non-ASCII stays. At most {@code max} characters, then {@code ...}
     * if there was more.
     */
    public static String oneLine(String text, int max) {
        StringBuilder line = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (breaksLine(c) || Character.isWhitespace(c)) {
                space = true;
            } else {
                if (space && line.length() > 0) {
                    line.append(' ');
                }
                space = false;
                line.append(c);
            }
        }
        return cut(line.toString(), max);
    }

    /**
     * For a terminal: CR, LF and TAB become {@code \r}, {@code \n} and {@code \t}; every other
     * control character, Unicode format character (bidi overrides among them), line or paragraph
     * separator and lone surrogate becomes {@code \\uXXXX}. The rest, non-ASCII included, stays.
     * Not cut.
     */
    public static String escaped(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(text, i, c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** The first {@code max} characters, one fewer if the last would be a high surrogate. */
    private static String prefix(String text, int max) {
        int end = max;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // do not split a surrogate pair
        }
        return text.substring(0, end);
    }

    private static boolean breaksLine(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c)
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static String escape(String text, int i, char c) {
        String named =
                switch (c) {
                    case '\r' -> "\\r";
                    case '\n' -> "\\n";
                    case '\t' -> "\\t";
                    default -> null;
                };
        if (named != null) {
            return named;
        }
        if (Character.isHighSurrogate(c)) {
            boolean paired = i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            return paired ? null : unicode(c);
        }
        if (Character.isLowSurrogate(c)) {
            boolean paired = i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
            return paired ? null : unicode(c);
        }
        int kind = Character.getType(c);
        boolean unsafe =
                Character.isISOControl(c)
                        || kind == Character.FORMAT
                        || kind == Character.LINE_SEPARATOR
                        || kind == Character.PARAGRAPH_SEPARATOR;
        return unsafe ? unicode(c) : null;
    }

    /**
     * What went wrong with a file, as one plain sentence without Java class names: {@code
     * /var/spool/listgate/tmp: permission denied}, {@code /data/mail/bob/new: no space left on
     * device}. For an administrator's eyes: a deferral reason, a bounce, a start-up error.
     */
    public static String problem(IOException e) {
        FileSystemException fileError = e instanceof FileSystemException fs ? fs : null;
        String file = fileError == null ? null : fileError.getFile();
        String what;
        if (e instanceof NoSuchFileException) {
            what = "no such file or folder";
        } else if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof FileAlreadyExistsException) {
            what = "already exists, and is not a folder";
        } else if (e instanceof NotDirectoryException) {
            what = "is not a folder";
        } else if (e instanceof DirectoryNotEmptyException) {
            what = "is a folder that is not empty";
        } else if (fileError != null && fileError.getReason() != null) {
            what = lowerFirst(fileError.getReason());
        } else if (e.getMessage() != null && !e.getMessage().isBlank()) {
            what = lowerFirst(e.getMessage());
        } else {
            what = "input/output error";
        }
        String sentence = file == null ? what : file + ": " + what;
        if (fileError != null && fileError.getOtherFile() != null) {
            sentence = sentence + " (with " + fileError.getOtherFile() + ")";
        }
        return oneLine(sentence, 500);
    }

    /** "No space left on device" as "no space left on device"; "EIO" stays as it is. */
    private static String lowerFirst(String text) {
        boolean acronym = text.length() > 1 && Character.isUpperCase(text.charAt(1));
        return text.isEmpty() || acronym
                ? text
                : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    private static String unicode(char c) {
        return String.format("\\u%04X", (int) c);
    }
}
