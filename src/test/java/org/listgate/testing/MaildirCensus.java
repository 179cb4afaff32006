package org.listgate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every file in every Maildir's {@code new/}, read whole: which Message-ID it holds and for whom,
 * counted per (Message-ID, mailbox); and every file that is not a whole delivery (no {@code
 * Return-Path}/{@code Delivered-To} lines, a {@code Delivered-To} that is not the folder's mailbox,
 * no Message-ID, or a missing last line).
 */
public final class MaildirCensus {

    private final Map<String, Map<String, Integer>> copies = new HashMap<>();
    private final List<String> malformed = new ArrayList<>();
    private long files;

    private MaildirCensus() {}

    /** Reads every {@code <root>/<domain>/<localpart>/new/*}. */
    public static MaildirCensus of(Path root) throws IOException {
        MaildirCensus census = new MaildirCensus();
        if (!Files.isDirectory(root)) {
            return census;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Path folder = file.getParent();
                if (folder.getFileName().toString().equals("new")
                        && root.relativize(file).getNameCount() == 4) {
                    Path mailbox = folder.getParent();
                    census.read(
                            file, mailbox.getFileName() + "@" + mailbox.getParent().getFileName());
                }
            }
        }
        return census;
    }

    private void read(Path file, String mailbox) throws IOException {
        files++;
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        Optional<String> messageId =
                header(lines, "Message-ID").map(id -> id.replaceAll("^<|>$", ""));
        boolean whole =
                lines.length > 3
                        && lines[0].startsWith("Return-Path: ")
                        && lines[1].equalsIgnoreCase("Delivered-To: " + mailbox)
                        && messageId.isPresent()
                        && text.endsWith("end of " + messageId.get() + "\n");
        if (!whole) {
            malformed.add(file.toString());
            return;
        }
        copies.computeIfAbsent(messageId.get(), id -> new HashMap<>())
                .merge(mailbox, 1, Integer::sum);
    }

    private static Optional<String> header(String[] lines, String name) {
        for (String line : lines) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return Optional.of(line.substring(name.length() + 1).trim());
            }
        }
        return Optional.empty();
    }

    /** Mailbox → copies of the message with this Message-ID (without angle brackets). */
    public Map<String, Integer> copies(String messageId) {
        return copies.getOrDefault(messageId, Map.of());
    }

    /** Every Message-ID found. */
    public java.util.Set<String> messageIds() {
        return copies.keySet();
    }

    public long files() {
        return files;
    }

    /** Files in new/ that are not a whole delivery of one message to that mailbox. */
    public List<String> malformed() {
        return malformed;
    }
}
