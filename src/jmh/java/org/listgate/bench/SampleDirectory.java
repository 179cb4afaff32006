package org.listgate.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.listgate.address.Mailbox;

/**
 * A users file and a lists file (aliases(5) syntax, one member a line) with one list, {@code
 * staff}, of {@code members} members, as src/bench/list-delivery.sh writes them: member {@code i}
 * is {@code u<i>@example.test}, a user, except every tenth, {@code ghost<i>@example.test}, which no
 * user file names (an unknown user, isolated with 5.1.1 when a message is expanded).
 *
 * <p>{@code flat}: the members are written in {@code staff} itself. {@code nested}: {@code staff}
 * holds ⌈√members⌉ lists {@code staff-1}, {@code staff-2}, ..., which share the members out in turn
 * (1,000 lists of 1,000 for a million).
 */
public final class SampleDirectory {

    public static final String DOMAIN = "example.test";

    /** The list a message is sent to. */
    public static final Mailbox STAFF = new Mailbox("staff", DOMAIN);

    private SampleDirectory() {}

    /** Writes {@code users} and {@code lists} in {@code folder}. */
    public static void write(Path folder, int members, String shape) throws IOException {
        try (BufferedWriter users =
                Files.newBufferedWriter(users(folder), StandardCharsets.UTF_8)) {
            for (int i = 1; i <= members; i++) {
                if (!isGhost(i)) {
                    users.write(member(i));
                    users.newLine();
                }
            }
        }
        try (BufferedWriter lists =
                Files.newBufferedWriter(lists(folder), StandardCharsets.UTF_8)) {
            switch (shape) {
                case "flat" -> list(lists, "staff", 1, members, 1);
                case "nested" -> {
                    int sublists = (int) Math.ceil(Math.sqrt(members));
                    StringBuilder names = new StringBuilder();
                    for (int j = 1; j <= sublists; j++) {
                        names.append(j == 1 ? "" : ",\n  ").append("staff-").append(j);
                    }
                    lists.write("staff: " + names + "\n");
                    for (int j = 1; j <= sublists; j++) {
                        list(lists, "staff-" + j, j, members, sublists);
                    }
                }
                default -> throw new IllegalArgumentException("unknown shape: " + shape);
            }
        }
    }

    public static Path users(Path folder) {
        return folder.resolve("users");
    }

    public static Path lists(Path folder) {
        return folder.resolve("lists");
    }

    /** Member {@code i} as written. */
    public static String member(int i) {
        return (isGhost(i) ? "ghost" : "u") + i + "@" + DOMAIN;
    }

    private static boolean isGhost(int i) {
        return i % 10 == 0;
    }

    /** A list of the members {@code first}, {@code first + step}, ... up to {@code last}. */
    private static void list(BufferedWriter out, String name, int first, int last, int step)
            throws IOException {
        out.write(name + ":");
        String separator = " ";
        for (int i = first; i <= last; i += step) {
            out.write(separator);
            out.write(member(i));
            separator = ",\n  ";
        }
        out.newLine();
    }
}
