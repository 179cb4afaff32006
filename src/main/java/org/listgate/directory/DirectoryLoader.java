package org.listgate.directory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        return new Snapshot(users(usersFile), lists(listsFile));
    }

    private Map<String, Entry.User> users(Path file) {
        Map<String, Entry.User> users = new LinkedHashMap<>();
        int number = 0;
        for (String line : lines(file)) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String origin = file + ":" + number;
            ParseResult parsed = Addresses.parse(text);
            if (parsed instanceof ParseResult.Valid valid) {
                Mailbox mailbox = valid.mailbox();
                if (!domains.contains(mailbox.domain())) {
                    lineInvalid(origin, "user " + text + " is not in a local domain (domains)");
                } else if (!safeFolderName(mailbox.localPart())) {
                    lineInvalid(origin, "user " + text + " cannot be a Maildir folder name");
                } else if (users.putIfAbsent(mailbox.key(), new Entry.User(mailbox)) != null) {
                    lineInvalid(origin, "user " + text + " is listed twice");
                }
            } else if (parsed instanceof ParseResult.Invalid invalid) {
                lineInvalid(origin, "not a mailbox: " + invalid.reason());
            } else {
                lineInvalid(origin, "not a mailbox");
            }
        }
        return users;
    }

    private Map<String, Entry.DistributionList> lists(Path file) {
        Map<String, Entry.DistributionList> lists = new LinkedHashMap<>();
        List<AliasesReader.Logical> logicalLines = AliasesReader.read(lines(file));
        java.util.Set<String> names = new java.util.HashSet<>();
        for (AliasesReader.Logical logical : logicalLines) {
            int colon = logical.text().indexOf(':');
            if (colon > 0) {
                names.add(logical.text().substring(0, colon).strip().toLowerCase(Locale.ROOT));
            }
        }
        for (AliasesReader.Logical logical : logicalLines) {
            String origin = file + ":" + logical.line();
            String text = logical.text();
            int colon = text.indexOf(':');
            if (colon < 0) {
                lineInvalid(origin, "expected 'name: member, member, ...'");
                continue;
            }
            String name = text.substring(0, colon).strip();
            if (!LIST_NAME.matcher(name).matches() || name.length() > 64) {
                lineInvalid(origin, "not a list name: '" + Text.cut(name) + "'");
                continue;
            }
            Mailbox address = new Mailbox(name, domains.get(0));
            List<Member> members = new ArrayList<>();
            for (AliasesReader.Piece piece : AliasesReader.pieces(text.substring(colon + 1))) {
                String memberText = piece.text();
                Member member =
                        member(
                                memberText,
                                names,
                                file + ":" + logical.lineAt(colon + 1 + piece.offset()));
                members.add(member);
                if (member.parsed() instanceof ParseResult.Invalid invalid) {
                    events.emit(
                            Event.of(EventId.DIRECTORY_MEMBER_INVALID)
                                    .with("list", address.address())
                                    .with("recipient", Text.cut(memberText))
                                    .with("status", invalid.status().toString())
                                    .with("reason", invalid.reason())
                                    .with("origin", member.origin()));
                }
            }
            if (lists.putIfAbsent(address.key(), new Entry.DistributionList(address, members))
                    != null) {
                lineInvalid(
                        origin, "list " + name + " is defined twice; the first definition is used");
            }
        }
        return lists;
    }

    /**
     * A member is a full address, or the bare name of another list in this file ({@code staff:
     * sales, ops} nests lists). Any other bare word is an address without a domain: invalid.
     */
    private Member member(String text, java.util.Set<String> names, String origin) {
        if (names.contains(text.toLowerCase(Locale.ROOT)) && LIST_NAME.matcher(text).matches()) {
            return new Member(
                    text, new ParseResult.Valid(new Mailbox(text, domains.get(0))), origin);
        }
        return new Member(text, Addresses.parse(text), origin);
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
