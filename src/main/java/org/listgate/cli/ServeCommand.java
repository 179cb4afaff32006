package org.listgate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.listgate.Gateway;
import org.listgate.auth.CredentialFileException;
import org.listgate.auth.PasswordFile;
import org.listgate.config.Config;
import org.listgate.config.ConfigException;
import org.listgate.config.ConfigLoader;
import org.listgate.events.EventLog;
import org.listgate.events.Logging;
import org.listgate.smtp.SmtpListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code serve --config FILE [--port N]}: runs the gateway in the foreground until SIGTERM or
 * SIGINT, then stops cleanly (the transaction in flight finishes) and exits 0. SIGHUP opens the log
 * files again (after logrotate) and re-reads the directory files.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description =
                "Run the SMTP gateway in the foreground (SIGTERM stops it, SIGHUP reloads the directory).")
public final class ServeCommand implements Callable<Integer> {

    static final Duration GRACE = Duration.ofSeconds(30);

    @Spec CommandSpec spec;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "listgate.properties")
    Path configFile;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "listen on this port instead of smtp.port")
    Integer port;

    @Override
    public Integer call() throws Exception {
        Config config;
        try {
            config =
                    ConfigLoader.load(
                            configFile,
                            warning -> spec.commandLine().getErr().println("listgate: " + warning));
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("listgate: " + e.getMessage());
            return 2;
        }
        if (port != null) {
            if (port < 0 || port > 65535) {
                spec.commandLine().getErr().println("listgate: --port: not a port number: " + port);
                return 2;
            }
            config = config.withPort(port);
        }
        try {
            ConfigLoader.requireDirectoryFiles(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("listgate: " + e.getMessage());
            return 2;
        }
        Path logback = configFile.toAbsolutePath().getParent().resolve("logback.xml");
        try {
            Logging.configure(Files.exists(logback) ? logback : null, config.eventsFile());
        } catch (IllegalStateException e) {
            // The event log's folder cannot be made, or logback.xml is wrong: no event log, no
            // service.
            spec.commandLine().getErr().println("listgate: " + e.getMessage());
            return 1;
        }
        config.auth()
                .passwordFile()
                .flatMap(PasswordFile::permissionWarning)
                .ifPresent(warning -> spec.commandLine().getErr().println("listgate: " + warning));
        EventLog events = new EventLog(config.smtp().hostname());
        Gateway gateway;
        try {
            gateway = new Gateway(config, events);
        } catch (CredentialFileException e) {
            spec.commandLine().getErr().println("listgate: " + e.getMessage());
            events.emit(Gateway.notStarted(String.valueOf(e.getMessage())));
            Logging.flush();
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.handle("TERM", stop::countDown);
        Signals.handle("INT", stop::countDown);
        boolean hup =
                Signals.handle(
                        "HUP",
                        () -> {
                            Logging.reopen(); // first: the reload's events go to the new file
                            gateway.reload();
                        });
        if (!hup) {
            spec.commandLine()
                    .getErr()
                    .println(
                            "listgate: SIGHUP was ignored when this process started (nohup?), so"
                                    + " it will neither reload the directory nor reopen the event"
                                    + " log; start it with setsid or under systemd instead");
        }
        try {
            gateway.start();
        } catch (SmtpListener.BindFailure | java.io.IOException e) {
            // Port taken or privileged, or the spool unusable or owned by another listgate.
            spec.commandLine().getErr().println("listgate: " + e.getMessage());
            gateway.abandon(String.valueOf(e.getMessage()));
            Logging.flush();
            return 1;
        }
        stop.await();
        gateway.stop(GRACE);
        Logging.flush();
        return 0;
    }
}
