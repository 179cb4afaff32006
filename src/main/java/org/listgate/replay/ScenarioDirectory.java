package org.listgate.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes what a listgate needs to serve a scenario's list: {@code users}, {@code lists} (aliases(5)
 * syntax, one member a line) and {@code listgate.properties}, whose paths are absolute so that the
 * server can be started from any directory. With {@code ldif}, also the same scenario as an LDAP
 * directory ({@code directory.ldif}, and a {@code slapd.conf} that serves it: {@link
 * LdapDirectory}), and a listgate.properties that reads it ({@code directory.type = ldap}).
 *
 * <p>DIAGNOSTICS: an I/O error is the caller's to report, with the file it names.
 */
public final class ScenarioDirectory {

    private ScenarioDirectory() {}

    /** Writes the three files into {@code directory} (created if need be); returns their paths. */
    public static List<Path> write(
            Scenario scenario, Path directory, int port, String sender, String replayCommand)
            throws IOException {
        return write(scenario, directory, port, sender, replayCommand, false);
    }

    /**
     * Writes the three files into {@code directory} (created if need be) and, with {@code ldif},
     * {@code directory.ldif} and {@code slapd.conf} too (and {@code data/ldap}, slapd's database
     * directory); returns the files' paths.
     */
    public static List<Path> write(
            Scenario scenario,
            Path directory,
            int port,
            String sender,
            String replayCommand,
            boolean ldif)
            throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path users = dir.resolve("users");
        Path lists = dir.resolve("lists");
        Path properties = dir.resolve("listgate.properties");
        Files.writeString(users, users(scenario, sender), StandardCharsets.UTF_8);
        Files.writeString(lists, lists(scenario), StandardCharsets.UTF_8);
        Files.writeString(
                properties,
                properties(scenario, dir, port, replayCommand, ldif),
                StandardCharsets.UTF_8);
        if (!ldif) {
            return List.of(users, lists, properties);
        }
        Path directoryLdif = dir.resolve("directory.ldif");
        Path slapdConf = dir.resolve("slapd.conf");
        Files.writeString(
                directoryLdif,
                LdapDirectory.ldif(scenario, mailboxes(scenario, sender)),
                StandardCharsets.UTF_8);
        Files.writeString(
                slapdConf, LdapDirectory.slapdConf(scenario, dir), StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("data/ldap"));
        return List.of(users, lists, properties, directoryLdif, slapdConf);
    }

    static String users(Scenario scenario, String sender) {
        StringBuilder text = new StringBuilder(header(scenario, "The mailboxes that exist."));
        mailboxes(scenario, sender).forEach(user -> text.append(user).append('\n'));
        return text.toString();
    }

    /**
     * The mailboxes of the users file, once each: the postmaster, the sender if it is in the list's
     * domain, and the scenario's users (those two in lower case).
     */
    static Set<String> mailboxes(Scenario scenario, String sender) {
        Set<String> users = new LinkedHashSet<>();
        users.add("postmaster@" + scenario.domain());
        String from = sender.toLowerCase(Locale.ROOT);
        if (from.endsWith("@" + scenario.domain().toLowerCase(Locale.ROOT))) {
            users.add(from);
        }
        users.addAll(scenario.users());
        return users;
    }

    static String lists(Scenario scenario) {
        StringBuilder text =
                new StringBuilder(
                        header(
                                scenario,
                                "The list, one member a line, invalid members included on purpose."));
        text.append(scenario.list()).append(':');
        List<Scenario.Member> members = scenario.members();
        for (int i = 0; i < members.size(); i++) {
            text.append(i == 0 ? " " : ",\n    ").append(members.get(i).text());
        }
        text.append("\n\n# Nested lists that lead back into the list: a loop, skipped.\n");
        for (String loop : scenario.loopLists()) {
            text.append(loop).append(": ").append(scenario.listAddress()).append('\n');
        }
        return text.toString();
    }

    static String properties(
            Scenario scenario, Path dir, int port, String replayCommand, boolean ldif) {
        int expansion = Math.max(100_000, 2 * scenario.members().size());
        return header(scenario, "A listgate that serves this scenario's list.")
                + (ldif
                        ? "# Its directory is the LDAP one of directory.ldif: load it into a slapd"
                                + " on port "
                                + LdapDirectory.PORT
                                + " first,\n#   "
                                + String.join("\n#   ", ldapCommands(dir))
                                + "\n# then\n"
                        : "")
                + "#   java -jar target/listgate.jar serve --config "
                + dir.resolve("listgate.properties")
                + "\n"
                + "# and then\n"
                + "#   "
                + replayCommand
                + "\n"
                + "smtp.bind = 127.0.0.1\n"
                + "smtp.port = "
                + port
                + "\n"
                + "smtp.hostname = mail."
                + scenario.domain()
                + "\n"
                + "domains = "
                + scenario.domain()
                + "\n"
                + "directory.users = "
                + dir.resolve("users")
                + "\n"
                + "directory.lists = "
                + dir.resolve("lists")
                + "\n"
                + "spool.dir = "
                + dir.resolve("data/spool")
                + "\n"
                + "maildir.root = "
                + dir.resolve("data/mail")
                + "\n"
                + "events.file = "
                + dir.resolve("data/events.jsonl")
                + "\n"
                + "limits.maxRecipients = 1000\n"
                + "limits.maxExpansion = "
                + expansion
                + "\n"
                + "# No relay host: members in other domains are isolated with 5.4.4.\n"
                + "relay.host =\n"
                + "# The Pegasus user sends from this host, a trusted client: its refused members do not count\n"
                + "# toward the error limits (client-list mode sends every member, the invalid ones too).\n"
                + "relay.networks = 127.0.0.0/8, ::1/128\n"
                + (ldif ? ldapProperties(scenario) : "");
    }

    /**
     * The commands that load {@code directory.ldif} into a new slapd and start it on port 3389,
     * with the {@code slapd.conf} written beside it in {@code directory}.
     */
    public static List<String> ldapCommands(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        return List.of(
                "slapadd -f " + dir.resolve("slapd.conf") + " -l " + dir.resolve("directory.ldif"),
                "slapd -f " + dir.resolve("slapd.conf") + " -h " + LdapDirectory.URL + "/");
    }

    private static String ldapProperties(Scenario scenario) {
        return "# The same scenario in LDAP (directory.ldif): the directory.users and directory.lists"
                + " above are\n# not read while directory.type is ldap.\n"
                + "directory.type = ldap\n"
                + "directory.ldap.urls = "
                + LdapDirectory.URL
                + "\n"
                + "directory.ldap.baseDn = "
                + new LdapLayout(scenario.domain()).suffix()
                + "\n";
    }

    private static String header(Scenario scenario, String what) {
        return "# "
                + what
                + "\n# Written by listgate replay --write-directory: seed "
                + scenario.seed()
                + ", "
                + scenario.members().size()
                + " members of "
                + scenario.listAddress()
                + ", invalid ratio "
                + scenario.invalidRatio()
                + ".\n";
    }
}
