package org.listgate.directory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.events.Text;

/**
 * Reads the users file (one mailbox a line) and the lists file (aliases(5) syntax) into a {@link
 * Snapshot}.
 *
 * <p>Never fails on content: a line that cannot be read is reported (event 3003, with {@code
 * file:line}) and skipped; a list member that is not a valid address is kept and reported once
 * (event 3002), to be isolated when a message is expanded. A missing file is an empty one, reported
 * once. Bytes that are not UTF-8 are replaced, so such a member becomes an invalid one.
 */
final class DirectoryLoader {

    /** A list name: the local part of the list's address, kept simple so it is a safe file name. */
    private static final java.util.regex.Pattern LIST_NAME =
            java.util.regex.Pattern.compile(
                    "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

    private final List<String> domains;
    private final EventLog events;

    DirectoryLoader(List<String> domains, EventLog events) {
        this.domains = domains;
        this.events = events;
    }

    Snapshot load(Path usersFile, Path listsFile) {
        List<String> userLines = lines(usersFile);
        Shared shared = new Shared(userLines.size());
        return new Snapshot(users(usersFile, userLines, shared), lists(listsFile, shared));
    }

    /**
     * What one load shares between the addresses it reads, so that a large directory keeps each
     * thing once: one string for each domain (not one for each address), and one parsed mailbox for
     * each text, so that a member written as the users file writes a user holds that user's address
     * string (the one the snapshot keeps), and a member written in two lists one mailbox. Sharing
     * changes nothing that can be seen: a mailbox is a value, and the local part keeps its case as
     * written.
     */
    private final class Shared {
        private final Map<String, String> domainNames = new HashMap<>();
        private final Map<String, ParseResult.Valid> parsed;

        /** Room for {@code texts} texts (the users file's lines) without growing. */
        Shared(int texts) {
            parsed = new HashMap<>(Math.max(16, texts + texts / 3 + 1));
            for (String domain : domains) {
                String lower = domain.toLowerCase(Locale.ROOT);
                domainNames.putIfAbsent(lower, lower);
            }
        }

        /** {@link Addresses#parse} of {@code text}, a valid result shared with the same text's. */
        ParseResult parse(String text) {
            ParseResult.Valid known = parsed.get(text);
            if (known != null) {
                return known;
            }
            ParseResult result = Addresses.parse(text);
            if (result instanceof ParseResult.Valid valid) {
                Mailbox mailbox = valid.mailbox();
                // Parsing makes a domain string of its own: the one met first replaces it.
                String domain = domainNames.putIfAbsent(mailbox.domain(), mailbox.domain());
                ParseResult.Valid shared =
                        domain == null
                                ? valid
                                : new ParseResult.Valid(new Mailbox(mailbox.localPart(), domain));
                parsed.put(text, shared);
                return shared;
            }
            return result;
        }

        /** The mailbox {@code name@domain}, a list's own name in the first domain. */
        Mailbox inFirstDomain(String name) {
            return new Mailbox(name, domainNames.get(domains.get(0).toLowerCase(Locale.ROOT)));
        }
    }

    private Snapshot.Users users(Path file, List<String> lines, Shared shared) {
        Snapshot.Users users = new Snapshot.Users(lines.size());
        String name = file.toString();
        int number = 0;
        for (String line : lines) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            ParseResult parsed = shared.parse(text);
            if (parsed instanceof ParseResult.Valid valid) {
                Mailbox mailbox = valid.mailbox();
                if (!domains.contains(mailbox.domain())) {
                    lineInvalid(
                            name, number, "user " + text + " is not in a local domain (domains)");
                } else if (!safeFolderName(mailbox.localPart())) {
                    lineInvalid(name, number, "user " + text + " cannot be a Maildir folder name");
                } else if (!users.add(mailbox)) {
                    lineInvalid(name, number, "user " + text + " is listed twice");
                }
            } else if (parsed instanceof ParseResult.Invalid invalid) {
                lineInvalid(name, number, "not a mailbox: " + invalid.reason());
            } else {
                lineInvalid(name, number, "not a mailbox");
            }
        }
        return users;
    }

    private Map<String, Entry.DistributionList> lists(Path file, Shared shared) {
        Map<String, Entry.DistributionList> lists = new HashMap<>();
        String fileName = file.toString();
        List<AliasesReader.Logical> logicalLines = AliasesReader.read(lines(file));
        java.util.Set<String> names = new java.util.HashSet<>();
        for (AliasesReader.Logical logical : logicalLines) {
            int colon = logical.text().indexOf(':');
            if (colon > 0) {
                names.add(logical.text().substring(0, colon).strip().toLowerCase(Locale.ROOT));
            }
        }
        for (AliasesReader.Logical logical : logicalLines) {
            String text = logical.text();
            int colon = text.indexOf(':');
            if (colon < 0) {
                lineInvalid(fileName, logical.line(), "expected 'name: member, member, ...'");
                continue;
            }
            String name = text.substring(0, colon).strip();
            if (!LIST_NAME.matcher(name).matches() || name.length() > 64) {
                lineInvalid(fileName, logical.line(), "not a list name: '" + Text.cut(name) + "'");
                continue;
            }
            Mailbox address = shared.inFirstDomain(name);
            List<AliasesReader.Piece> pieces = AliasesReader.pieces(text.substring(colon + 1));
            FileMembers members = new FileMembers(fileName, pieces.size());
            for (AliasesReader.Piece piece : pieces) {
                String memberText = piece.text();
                int line = logical.lineAt(colon + 1 + piece.offset());
                ParseResult parsed = parsed(memberText, names, shared);
                members.add(memberText, parsed, line);
                if (parsed instanceof ParseResult.Invalid invalid) {
                    events.emit(
                            Event.of(EventId.DIRECTORY_MEMBER_INVALID)
                                    .with("list", address.address())
                                    .with("recipient", Text.cut(memberText))
                                    .with("status", invalid.status().toString())
                                    .with("reason", invalid.reason())
                                    .with("origin", fileName + ":" + line));
                }
            }
            if (lists.putIfAbsent(
                            address.key(), new Entry.DistributionList(address, members.seal()))
                    != null) {
                lineInvalid(
                        fileName,
                        logical.line(),
                        "list " + name + " is defined twice; the first definition is used");
            }
        }
        return lists;
    }

    /**
     * A member is a full address, or the bare name of another list in this file ({@code staff:
     * sales, ops} nests lists). Any other bare word is an address without a domain: invalid.
     */
    private static ParseResult parsed(String text, java.util.Set<String> names, Shared shared) {
        if (names.contains(text.toLowerCase(Locale.ROOT)) && LIST_NAME.matcher(text).matches()) {
            return new ParseResult.Valid(shared.inFirstDomain(text));
        }
        return shared.parse(text);
    }

    private void lineInvalid(String file, int line, String reason) {
        lineInvalid(file + ":" + line, reason);
    }

    private void lineInvalid(String origin, String reason) {
        events.emit(
                Event.of(EventId.DIRECTORY_LINE_INVALID)
                        .with("origin", origin)
                        .with("reason", reason));
    }

    /** A local part that is safe as one path segment under maildir.root. */
    static boolean safeFolderName(String localPart) {
        return !localPart.startsWith(".")
                && !localPart.startsWith("\"")
                && localPart.chars().noneMatch(c -> c == '/' || c == '\\' || c < 0x20)
                && !localPart.toLowerCase(Locale.ROOT).equals("con");
    }

    private List<String> lines(Path file) {
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                Files.newInputStream(file),
                                StandardCharsets.UTF_8
                                        .newDecoder()
                                        .onMalformedInput(CodingErrorAction.REPLACE)
                                        .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
            return reader.lines().toList();
        } catch (NoSuchFileException e) {
            lineInvalid(file.toString(), "no such file; taken as empty");
            return List.of();
        } catch (IOException | java.io.UncheckedIOException e) {
            lineInvalid(file.toString(), "cannot be read (" + e.getMessage() + "); taken as empty");
            return List.of();
        }
    }
}
