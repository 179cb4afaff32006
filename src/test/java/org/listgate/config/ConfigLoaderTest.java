package org.listgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    @TempDir Path dir;

    private final List<String> warnings = new ArrayList<>();

    private Path write(String... lines) throws IOException {
        Path file = dir.resolve("listgate.properties");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    private Config load(String... lines) throws IOException, ConfigException {
        return ConfigLoader.load(write(lines), warnings::add);
    }

    @Test
    void appliesTheDefaults() throws Exception {
        Config config = load("domains = Example.TEST, other.test");

        assertThat(config.domains()).containsExactly("example.test", "other.test");
        assertThat(config.primaryDomain()).isEqualTo("example.test");
        assertThat(config.smtp().port()).isEqualTo(25);
        assertThat(config.smtp().bind().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(config.smtp().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.limits()).isEqualTo(new Config.Limits(1000, 10_485_760L, 100_000));
        assertThat(config.relay()).isEmpty();
        assertThat(config.faultInject()).isEmpty();
        assertThat(config.usersFile())
                .isEqualTo(Path.of("config/users").toAbsolutePath().normalize());
        assertThat(config.eventsFile())
                .isEqualTo(Path.of("data/events.jsonl").toAbsolutePath().normalize());
        assertThat(config.delivery()).isEqualTo(new Config.Delivery(8, Duration.ofSeconds(2)));
        assertThat(config.maildir())
                .isEqualTo(new Config.Maildir(Path.of("data/mail").toAbsolutePath().normalize()));
        assertThat(warnings).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "0640, rw-r-----, rwxr-x---",
        "640,  rw-r-----, rwxr-x---",
        "0660, rw-rw----, rwxrwx---",
        "0600, rw-------, rwx------",
        "0644, rw-r--r--, rwxr-xr-x",
        "0620, rw--w----, rwx-w----"
    })
    void readsTheMaildirModeAndGivesFoldersExecuteWhereReadIsSet(
            String mode, String file, String folder) throws Exception {
        Config.Maildir maildir = load("domains = example.test", "maildir.mode = " + mode).maildir();

        assertThat(maildir.mode()).contains(PosixFilePermissions.fromString(file));
        assertThat(maildir.folderMode()).contains(PosixFilePermissions.fromString(folder));
        assertThat(maildir.group()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"root", "0"})
    void readsTheMaildirGroupByNameOrGid(String group) throws Exception {
        Config.Maildir maildir =
                load("domains = example.test", "maildir.group = " + group).maildir();

        assertThat(maildir.group())
                .hasValueSatisfying(g -> assertThat(g.getName()).isEqualTo(group));
        assertThat(maildir.mode()).isEmpty();
    }

    @Test
    void readsEveryKey() throws Exception {
        Config config =
                load(
                        "domains = example.test",
                        "smtp.bind = 127.0.0.1",
                        "smtp.port = 2525",
                        "smtp.idleTimeout = 30s",
                        "limits.maxRecipients = 100",
                        "limits.maxExpansion = 5",
                        "relay.host = smarthost.test",
                        "relay.port = 587",
                        "fault.inject = expansion:u3@*, delivery:u13@example.test, spool:full@*",
                        "directory.pollInterval = 250ms",
                        "spool.dir = " + dir.resolve("spool/../spool2"));

        assertThat(config.smtp().port()).isEqualTo(2525);
        assertThat(config.smtp().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.limits().maxExpansion()).isEqualTo(5);
        assertThat(config.relay()).contains(new Config.Relay("smarthost.test", 587));
        assertThat(config.faultInject())
                .containsExactly("expansion:u3@*", "delivery:u13@example.test", "spool:full@*");
        assertThat(config.delivery().directoryPoll()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.spoolDir()).isEqualTo(dir.resolve("spool2"));
    }

    @Test
    void theGatewayIdIsHexDigitsOrTakenFromTheHostname() throws Exception {
        assertThat(load("domains = example.test", "gateway.id = a1").smtp().gatewayId())
                .isEqualTo("A1");
        String mx1 =
                load("domains = example.test", "smtp.hostname = mx1.example.test")
                        .smtp()
                        .gatewayId();
        String mx2 =
                load("domains = example.test", "smtp.hostname = mx2.example.test")
                        .smtp()
                        .gatewayId();
        assertThat(mx1).matches("[0-9A-F]{4}").isNotEqualTo(mx2);
        assertThat(load("domains = example.test", "smtp.hostname = MX1.example.test").smtp())
                .extracting(Config.Smtp::gatewayId)
                .isEqualTo(mx1);
        for (String bad : new String[] {"gw1", "12345", "-1"}) {
            assertThatThrownBy(() -> load("domains = example.test", "gateway.id = " + bad))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("gateway.id")
                    .hasMessageContaining("one to four hex digits");
        }
    }

    @Test
    void anLmtpServerIsAnAddressAndPortOrASocket() throws Exception {
        assertThat(load("domains = example.test").delivery().lmtp()).isEmpty();
        assertThat(
                        load(
                                        "domains = example.test",
                                        "delivery.lmtp = lmtp://127.0.0.1:2424",
                                        "delivery.lmtpTimeout = 30s")
                                .delivery()
                                .lmtp())
                .contains(
                        new Config.Lmtp(
                                Optional.of("127.0.0.1"),
                                2424,
                                Optional.empty(),
                                Duration.ofSeconds(30)));
        assertThat(
                        load("domains = example.test", "delivery.lmtp = lmtp://[::1]")
                                .delivery()
                                .lmtp()
                                .map(lmtp -> lmtp.host().orElseThrow() + " " + lmtp.port()))
                .contains("::1 24");
        assertThat(
                        load("domains = example.test", "delivery.lmtp = /var/run/dovecot/lmtp")
                                .delivery()
                                .lmtp()
                                .flatMap(Config.Lmtp::socket))
                .contains(Path.of("/var/run/dovecot/lmtp"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"smtp.port = 25", "domains =", "domains = , ,"})
    void aMissingDomainsNamesTheFileAndTheKey(String line) throws IOException {
        Path file = write(line);

        assertThatThrownBy(() -> ConfigLoader.load(file, warnings::add))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": domains: missing");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("smtp.port = http", "smtp.port", "not a whole number"),
                Arguments.of("smtp.port = 70000", "smtp.port", "between 0 and 65535"),
                Arguments.of("smtp.port = -1", "smtp.port", "between"),
                Arguments.of("limits.maxRecipients = 10", "limits.maxRecipients", "between 100"),
                Arguments.of(
                        "limits.maxMessageBytes = 1e6",
                        "limits.maxMessageBytes",
                        "not a whole number"),
                Arguments.of(
                        "limits.maxExpansion = 99999999999999999999",
                        "limits.maxExpansion",
                        "not a whole number"),
                Arguments.of("smtp.idleTimeout = 5 minutes", "smtp.idleTimeout", "not a duration"),
                Arguments.of("smtp.idleTimeout = -5s", "smtp.idleTimeout", "not a duration"),
                Arguments.of(
                        "directory.pollInterval = PT-1S", "directory.pollInterval", "negative"),
                Arguments.of(
                        "directory.pollInterval = P", "directory.pollInterval", "not a duration"),
                Arguments.of("smtp.bind = localhost", "smtp.bind", "not an IP address"),
                Arguments.of("fault.inject = rcpt:a@b", "fault.inject", "stage:glob"),
                Arguments.of("fault.inject = expansion", "fault.inject", "stage:glob"),
                Arguments.of("fault.inject = delivery:", "fault.inject", "stage:glob"),
                Arguments.of(
                        "fault.inject = spool", "fault.inject", "expansion, delivery or spool"),
                Arguments.of("domains = example.test, bad_domain", "domains", "not a domain name"),
                Arguments.of("directory.type = nis", "directory.type", "files"),
                Arguments.of("delivery.lmtp = dovecot:24", "delivery.lmtp", "lmtp://host:port"),
                Arguments.of(
                        "delivery.lmtp = lmtp://127.0.0.1:99999",
                        "delivery.lmtp",
                        "not 1 to 65535"),
                Arguments.of("delivery.lmtp = run/lmtp", "delivery.lmtp", "absolute path"),
                Arguments.of("maildir.mode = 0648", "maildir.mode", "not an octal mode"),
                Arguments.of("maildir.mode = rw-r-----", "maildir.mode", "not an octal mode"),
                Arguments.of("maildir.mode = 0x1a0", "maildir.mode", "not an octal mode"),
                Arguments.of("maildir.mode = 4640", "maildir.mode", "beyond 0777"),
                Arguments.of("maildir.mode = 2770", "maildir.mode", "beyond 0777"),
                Arguments.of("maildir.mode = 0040", "maildir.mode", "owner must be able to read"),
                Arguments.of("maildir.mode = 0440", "maildir.mode", "owner must be able to read"),
                Arguments.of("maildir.mode = 0750", "maildir.mode", "execute bits"),
                Arguments.of(
                        "maildir.group = no-such-group-for-listgate",
                        "maildir.group",
                        "no such group: 'no-such-group-for-listgate'"),
                Arguments.of("maildir.group = mail;x", "maildir.group", "not a group name or gid"),
                Arguments.of("maildir.group = -1", "maildir.group", "not a group name or gid"),
                Arguments.of(
                        "directory.type = ldap\ndirectory.ldap.baseDn = dc=example,dc=test",
                        "directory.ldap.urls",
                        "required with directory.type = ldap"),
                Arguments.of(
                        "directory.type = ldap\ndirectory.ldap.urls = ldap://127.0.0.1",
                        "directory.ldap.baseDn",
                        "required with directory.type = ldap"),
                Arguments.of(
                        "directory.type = ldap\ndirectory.ldap.baseDn = dc=example,dc=test\n"
                                + "directory.ldap.urls = http://127.0.0.1",
                        "directory.ldap.urls",
                        "not an ldap:// or ldaps:// URL"),
                Arguments.of(
                        "directory.type = ldap\ndirectory.ldap.baseDn = dc=example,dc=test\n"
                                + "directory.ldap.urls = ldap://127.0.0.1/dc=x?mail",
                        "directory.ldap.urls",
                        "scheme://host[:port] only"),
                Arguments.of(
                        "directory.type = ldap\ndirectory.ldap.baseDn = dc=example,dc=test\ndirectory.ldap.urls = ldap://127.0.0.1\n"
                                + "directory.ldap.userFilter = (mail=x)",
                        "directory.ldap.userFilter",
                        "with %s"),
                Arguments.of(
                        "directory.type = ldap\ndirectory.ldap.baseDn = dc=example,dc=test\ndirectory.ldap.urls = ldap://127.0.0.1\n"
                                + "directory.ldap.groupFilter = (&(mail=%s)",
                        "directory.ldap.groupFilter", "closing parenthesis was expected"),
                Arguments.of(
                        "directory.type = ldap\ndirectory.ldap.baseDn = dc=example,dc=test\ndirectory.ldap.urls = ldap://127.0.0.1\n"
                                + "directory.ldap.memberAttributes = member, un iqueMember",
                        "directory.ldap.memberAttributes",
                        "not an attribute name"),
                Arguments.of(
                        "directory.type = ldap\ndirectory.ldap.urls = ldap://127.0.0.1\n"
                                + "directory.ldap.baseDn = dc=example,dc=test\n"
                                + "directory.ldap.bindDn = cn=listgate,dc=example,dc=test",
                        "directory.ldap.bindDn",
                        "needs directory.ldap.passwordFile"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void aBadValueNamesTheFileAndTheKey(String line, String key, String problem)
            throws IOException {
        Path file = write(line.startsWith("domains") ? line : "domains = example.test\n" + line);

        assertThatThrownBy(() -> ConfigLoader.load(file, warnings::add))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": " + key + ": ")
                .hasMessageContaining(problem)
                .hasMessageNotContaining("\n");
    }

    @Test
    void anLdapDirectoryIsReadWithItsPasswordAndAPasswordFileOthersCanReadIsWarnedOf()
            throws Exception {
        Path secret = dir.resolve("ldap.secret");
        Files.writeString(secret, "s3cret\nignored\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(
                secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        Config config =
                load(
                        "domains = example.test",
                        "directory.type = ldap",
                        "directory.ldap.urls = ldap://127.0.0.1:3389, ldaps://ldap2.example.test",
                        "directory.ldap.baseDn = dc=example,dc=test",
                        "directory.ldap.bindDn = cn=listgate,dc=example,dc=test",
                        "directory.ldap.passwordFile = " + secret,
                        "directory.ldap.cacheTtl = 0");

        Config.Ldap ldap = config.ldap().orElseThrow();
        assertThat(ldap.urls())
                .containsExactly("ldap://127.0.0.1:3389", "ldaps://ldap2.example.test");
        assertThat(ldap.password()).contains("s3cret");
        assertThat(ldap.toString()).doesNotContain("s3cret");
        assertThat(ldap.cacheTtl()).isZero();
        assertThat(ldap.memberAttributes()).containsExactly("member", "uniqueMember");
        assertThat(warnings)
                .singleElement()
                .satisfies(warning -> assertThat(warning).contains(secret.toString(), "chmod 600"));

        warnings.clear();
        Files.setPosixFilePermissions(
                secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        load(
                "domains = example.test",
                "directory.type = ldap",
                "directory.ldap.urls = ldap://127.0.0.1:3389",
                "directory.ldap.baseDn = dc=example,dc=test",
                "directory.ldap.bindDn = cn=listgate,dc=example,dc=test",
                "directory.ldap.passwordFile = " + secret);
        assertThat(warnings).isEmpty();
        assertThat(load("domains = example.test").ldap()).isEmpty();
    }

    @Test
    void anUnknownKeyIsAWarningNotAnError() throws Exception {
        Config config =
                load("domains = example.test", "smtp.prot = 2525", "limits.maxExpansion = 7");

        assertThat(config.limits().maxExpansion()).isEqualTo(7);
        assertThat(warnings)
                .containsExactly(
                        dir.resolve("listgate.properties") + ": smtp.prot: unknown key, ignored");
    }

    @Test
    void theSampleConfigurationHasNoUnknownKey() throws Exception {
        ConfigLoader.load(Path.of("config/listgate.properties"), warnings::add);

        assertThat(warnings).isEmpty();
    }

    @Test
    void relativePathsAreTakenFromTheFilesFolderAndDefaultsFromTheWorkingDirectory()
            throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc/listgate"));
        Path file = etc.resolve("listgate.properties");
        Files.write(
                file,
                List.of(
                        "domains = example.test",
                        "directory.users = users",
                        "directory.lists = " + dir.resolve("elsewhere/lists"),
                        "spool.dir = ../../var/spool",
                        "events.file ="),
                StandardCharsets.UTF_8);
        // Loaded through a relative name, as `serve --config config/listgate.properties` does.
        Path relative = Path.of("").toAbsolutePath().relativize(file);

        Config config = ConfigLoader.load(relative, warnings::add);

        assertThat(config.usersFile()).isEqualTo(etc.resolve("users"));
        assertThat(config.listsFile()).isEqualTo(dir.resolve("elsewhere/lists"));
        assertThat(config.spoolDir()).isEqualTo(dir.resolve("var/spool"));
        assertThat(config.eventsFile())
                .isEqualTo(Path.of("data/events.jsonl").toAbsolutePath().normalize());
    }

    @Test
    void theSampleConfigurationFindsItsFilesFromAnyWorkingDirectory() throws Exception {
        Config config =
                ConfigLoader.load(
                        Path.of("config/listgate.properties").toAbsolutePath(), warnings::add);

        assertThat(config.usersFile()).isEqualTo(Path.of("config/users").toAbsolutePath());
        assertThat(config.listsFile()).isEqualTo(Path.of("config/lists").toAbsolutePath());
        assertThat(config.spoolDir()).isEqualTo(Path.of("data/spool").toAbsolutePath());
        assertThat(config.eventsFile()).isEqualTo(Path.of("data/events.jsonl").toAbsolutePath());
        ConfigLoader.requireDirectoryFiles(config);
    }

    @Test
    void aMissingDirectoryFileIsOneLineNamingKeyAndPath() throws Exception {
        Files.writeString(dir.resolve("users"), "alice@example.test\n");
        Config config =
                load(
                        "domains = example.test",
                        "directory.users = users",
                        "directory.lists = lists");

        assertThatThrownBy(() -> ConfigLoader.requireDirectoryFiles(config))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        dir.resolve("listgate.properties")
                                + ": directory.lists: "
                                + dir.resolve("lists")
                                + ": no such file");

        Files.createDirectory(dir.resolve("lists"));
        assertThatThrownBy(() -> ConfigLoader.requireDirectoryFiles(config))
                .hasMessageEndingWith(
                        ": directory.lists: " + dir.resolve("lists") + ": is a folder, not a file");
    }

    /** The rows of README's configuration table: key cell, default cell. */
    private static List<String[]> readmeTable() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
        List<String[]> rows = new ArrayList<>();
        for (String line : readme.subList(readme.indexOf("## Configuration") + 1, readme.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("| `")) {
                String[] cells = line.split("\\|", -1);
                rows.add(new String[] {cells[1], cells[cells.length - 2]});
            }
        }
        return rows;
    }

    private static List<String> backticked(String cell) {
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("`([^`]+)`").matcher(cell);
        while (word.find()) {
            words.add(word.group(1));
        }
        return words;
    }

    @Test
    void declaresEveryKeyOfTheReadmeTableAndNoOther() throws IOException {
        List<String> documented = new ArrayList<>();
        for (String[] row : readmeTable()) {
            documented.addAll(backticked(row[0]));
        }

        assertThat(Keys.declared().keySet()).containsExactlyInAnyOrderElementsOf(documented);
    }

    @Test
    void eachLiteralDefaultOfTheReadmeTableIsTheKeysDefault() throws IOException {
        int compared = 0;
        for (String[] row : readmeTable()) {
            List<String> keys = backticked(row[0]);
            List<String> defaults =
                    Stream.of(row[1].split(","))
                            .map(String::strip)
                            .map(text -> text.equals("empty") ? "``" : text)
                            .toList();
            boolean literal =
                    defaults.size() == keys.size()
                            && defaults.stream().allMatch(text -> text.matches("`[^`<]*`"));
            for (int i = 0; literal && i < keys.size(); i++) {
                String fallback = defaults.get(i).substring(1, defaults.get(i).length() - 1);
                assertThat(Keys.declared().get(keys.get(i)).fallback())
                        .as(keys.get(i))
                        .isEqualTo(fallback);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(40);
    }

    @Test
    void aMissingFileIsAConfigException() {
        Path file = dir.resolve("absent.properties");

        assertThatThrownBy(() -> ConfigLoader.load(file, warnings::add))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": no such file");
    }

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of("250ms", Duration.ofMillis(250)),
                Arguments.of("30s", Duration.ofSeconds(30)),
                Arguments.of("30", Duration.ofSeconds(30)),
                Arguments.of("5m", Duration.ofMinutes(5)),
                Arguments.of(" 1H ", Duration.ofHours(1)),
                Arguments.of("5d", Duration.ofDays(5)),
                Arguments.of("PT30S", Duration.ofSeconds(30)),
                Arguments.of("pt1m", Duration.ofMinutes(1)));
    }

    @ParameterizedTest
    @MethodSource("durations")
    void parsesDurationsAsOperatorsWriteThem(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "5w", "1.5s", "9999999999999s", "PTXS", "ms5"})
    void refusesOtherDurationsWithIllegalArgument(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }
}
