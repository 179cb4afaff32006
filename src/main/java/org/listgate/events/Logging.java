package org.listgate.events;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Points Logback at the event log. Called once by {@code serve} after the configuration is read,
 * and again by each server a test starts in the same JVM: every call resets the Logback context, so
 * the file appender follows the newest {@code events.file}.
 *
 * <p>DIAGNOSTICS: a logback.xml that Logback reports errors for, or an events directory that cannot
 * be made, is an {@link IllegalStateException} naming the file; the service must not run without
 * its event log.
 */
public final class Logging {

    /** The Logback context property config/logback.xml writes the event log to. */
    public static final String EVENTS_FILE_PROPERTY = "events.file";

    /** The process id, for the syslog tag {@code listgate[pid]:} in config/logback.xml. */
    static final String PID_PROPERTY = "listgate.pid";

    /** Used when the logback.xml given does not exist; a copy of config/logback.xml. */
    static final String FALLBACK_RESOURCE = "/listgate-logback.xml";

    /** The event log file only, without the directory's events: {@link #configureForCommand}. */
    static final String COMMAND_RESOURCE = "/listgate-command-logback.xml";

    private Logging() {}

    public static void configure(Path logbackXml, Path eventsFile) {
        if (logbackXml != null && Files.isRegularFile(logbackXml)) {
            apply(
                    eventsFile,
                    logbackXml.toAbsolutePath().toString(),
                    configurator -> configurator.doConfigure(logbackXml.toFile()));
        } else {
            URL fallback = Logging.class.getResource(FALLBACK_RESOURCE);
            if (fallback == null) {
                throw new IllegalStateException(
                        "no " + logbackXml + " and no classpath " + FALLBACK_RESOURCE);
            }
            apply(
                    eventsFile,
                    fallback.toString(),
                    configurator -> configurator.doConfigure(fallback));
        }
    }

    /**
     * For an administration command ({@code listgate queue delete} without a server): its events go
     * to {@code events.file} like the server's, but not to the console, whose output is the
     * command's answer; the directory's own events (1002, 3002, 3003) are left to the server, since
     * the command reads the directory only to find list owners.
     */
    public static void configureForCommand(Path eventsFile) {
        URL resource = Logging.class.getResource(COMMAND_RESOURCE);
        if (resource == null) {
            throw new IllegalStateException("no classpath " + COMMAND_RESOURCE);
        }
        apply(eventsFile, resource.toString(), configurator -> configurator.doConfigure(resource));
    }

    private interface Source {
        void configure(JoranConfigurator configurator) throws JoranException;
    }

    private static void apply(Path eventsFile, String source, Source configuration) {
        LoggerContext context = context();
        Path events = eventsFile.toAbsolutePath().normalize();
        try {
            if (events.getParent() != null) {
                Files.createDirectories(events.getParent());
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "events.file " + events + " cannot be used: " + Text.problem(e), e);
        }
        long start = System.currentTimeMillis();
        context.reset();
        context.putProperty(EVENTS_FILE_PROPERTY, events.toString());
        context.putProperty(PID_PROPERTY, Long.toString(ProcessHandle.current().pid()));
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configuration.configure(configurator);
        } catch (JoranException e) {
            throw new IllegalStateException(
                    "cannot read logging configuration " + source + ": " + e.getMessage(), e);
        }
        firstError(context, start)
                .ifPresent(
                        message -> {
                            throw new IllegalStateException(
                                    "logging configuration " + source + ": " + message);
                        });
    }

    /**
     * Opens every log file again under its name (SIGHUP): after logrotate has moved {@code
     * events.jsonl} aside, new events go to a new {@code events.jsonl}. Each file appender swaps
     * its stream under its own lock, so an event written meanwhile lands in the old file or the new
     * one, never nowhere. Returns the files reopened; a file that cannot be opened is reported and
     * the others still are.
     */
    public static List<String> reopen() {
        List<String> reopened = new ArrayList<>();
        LoggerContext context = context();
        Set<Appender<ILoggingEvent>> seen = new HashSet<>();
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders();
                    it.hasNext(); ) {
                Appender<ILoggingEvent> appender = it.next();
                if (seen.add(appender)
                        && appender instanceof FileAppender<ILoggingEvent> file
                        && file.isStarted()) {
                    try {
                        file.openFile(file.getFile());
                        reopened.add(file.getFile());
                    } catch (IOException e) {
                        LoggerFactory.getLogger(Logging.class)
                                .warn(
                                        "cannot open the log file again: {}; events still go to"
                                                + " the file opened before",
                                        Text.problem(e));
                    }
                }
            }
        }
        return reopened;
    }

    /** Flushes and closes every appender; call last, before the process exits. */
    public static void flush() {
        context().stop();
    }

    private static Optional<String> firstError(LoggerContext context, long since) {
        if (new StatusUtil(context).isErrorFree(since)) {
            return Optional.empty();
        }
        return StatusUtil.filterStatusListByTimeThreshold(
                        context.getStatusManager().getCopyOfStatusList(), since)
                .stream()
                .filter(status -> status.getLevel() >= Status.ERROR)
                .map(
                        status ->
                                status.getMessage()
                                        + (status.getThrowable() == null
                                                ? ""
                                                : ": " + status.getThrowable()))
                .findFirst();
    }

    private static LoggerContext context() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            return context;
        }
        throw new IllegalStateException(
                "the SLF4J backend is " + factory.getClass().getName() + ", not Logback");
    }
}
