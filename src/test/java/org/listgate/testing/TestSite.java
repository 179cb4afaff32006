package org.listgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.listgate.Gateway;
import org.listgate.config.Config;
import org.listgate.config.ConfigException;
import org.listgate.config.ConfigLoader;
import org.listgate.events.EventLog;
import org.listgate.events.LoggedEvent;
import org.listgate.events.Logging;

/**
 * A listgate installation in a temporary folder: properties, users and lists files, spool, Maildirs
 * and event log, and a real gateway listening on a free loopback port.
 */
public final class TestSite implements AutoCloseable {

    public static final String DOMAIN = "example.test";

    private final Path dir;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> users = new ArrayList<>();
    private String lists = "";
    private Gateway gateway;

    public TestSite(Path dir) {
        this.dir = dir;
        properties.put("smtp.bind", "127.0.0.1");
        properties.put("smtp.port", "0");
        properties.put("smtp.hostname", "mx.example.test");
        properties.put("domains", DOMAIN);
        properties.put("directory.users", dir.resolve("users").toString());
        properties.put("directory.lists", dir.resolve("lists").toString());
        properties.put("directory.pollInterval", "100ms");
        properties.put("spool.dir", dir.resolve("spool").toString());
        properties.put("maildir.root", dir.resolve("mail").toString());
        properties.put("events.file", dir.resolve("events.jsonl").toString());
    }

    public TestSite property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public TestSite users(List<String> addresses) {
        users.addAll(addresses);
        return this;
    }

    public TestSite lists(String text) {
        lists = text;
        return this;
    }

    public Path dir() {
        return dir;
    }

    /** Writes the files; returns the properties file. */
    public Path write() throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("users"), users, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("lists"), lists, StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder();
        properties.forEach(
                (key, value) -> text.append(key).append(" = ").append(value).append('\n'));
        Path file = dir.resolve("listgate.properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** Writes the files and starts a gateway in this JVM. */
    public TestSite start()
            throws IOException,
                    ConfigException,
                    org.listgate.smtp.SmtpListener.BindFailure,
                    org.listgate.auth.CredentialFileException {
        Config config =
                ConfigLoader.load(
                        write(),
                        warning -> {
                            throw new AssertionError(warning);
                        });
        Path logback = dir.resolve("logback.xml");
        try (var in = TestSite.class.getResourceAsStream("/test-logback.xml")) {
            Files.copy(in, logback, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Logging.configure(logback, config.eventsFile());
        gateway = new Gateway(config, new EventLog(config.smtp().hostname()));
        gateway.start();
        return this;
    }

    public int port() {
        return gateway.port();
    }

    public Gateway gateway() {
        return gateway;
    }

    public Path maildir(String address) {
        int at = address.lastIndexOf('@');
        return dir.resolve("mail")
                .resolve(address.substring(at + 1).toLowerCase(Locale.ROOT))
                .resolve(address.substring(0, at));
    }

    /** Files in the Maildir's new/ of {@code address}. */
    public List<Path> delivered(String address) {
        Path folder = maildir(address).resolve("new");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under mail/ in a new/ folder. */
    public long deliveredTotal() {
        Path root = dir.resolve("mail");
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(
                            p ->
                                    p.getParent() != null
                                            && p.getParent().getFileName().toString().equals("new"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<LoggedEvent> events() {
        return readEvents(dir.resolve("events.jsonl"));
    }

    public List<LoggedEvent> events(int id) {
        return events().stream().filter(e -> e.id() == id).toList();
    }

    public static List<LoggedEvent> readEvents(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(LoggedEvent::parse)
                    .flatMap(java.util.Optional::stream)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True once every accepted message (and every report they caused) is finished and gone. */
    public boolean queueEmpty() {
        try (Stream<Path> files = Files.list(spoolQueue())) {
            return gateway.deliveriesInFlight() == 0 && files.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path spoolQueue() {
        return dir.resolve("spool").resolve("queue");
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.stop(java.time.Duration.ofSeconds(5));
        }
    }
}
