package org.listgate.events;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Points Logback at the event log. Called once by {@code serve} after the configuration is read,
 * and again by each server a test starts in the same JVM: every call resets the Logback context,
 * so the file appender follows the newest {@code events.file}.
 *
 * <p>DIAGNOSTICS: a logback.xml that Logback reports errors for, or an events directory that
 * cannot be made, is an {@link IllegalStateException} naming the file; the service must not run
 * without its event log.
 */
public final class Logging {

    /** The Logback context property config/logback.xml writes the event log to. */
    public static final String EVENTS_FILE_PROPERTY = "events.file";

    /** Used when the logback.xml given does not exist; a copy of config/logback.xml. */
    static final String FALLBACK_RESOURCE = "/listgate-logback.xml";

    private Logging() {}

    public static void configure(Path logbackXml, Path eventsFile) {
        LoggerContext context = context();
        Path events = eventsFile.toAbsolutePath().normalize();
        try {
            if (events.getParent() != null) {
                Files.createDirectories(events.getParent());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the directory of events.file " + events + ": " + e, e);
        }
        String source;
        long start = System.currentTimeMillis();
        context.reset();
        context.putProperty(EVENTS_FILE_PROPERTY, events.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            if (logbackXml != null && Files.isRegularFile(logbackXml)) {
                source = logbackXml.toAbsolutePath().toString();
                configurator.doConfigure(logbackXml.toFile());
            } else {
                URL fallback = Logging.class.getResource(FALLBACK_RESOURCE);
                if (fallback == null) {
                    throw new IllegalStateException("no " + logbackXml + " and no classpath " + FALLBACK_RESOURCE);
                }
                source = fallback.toString();
                configurator.doConfigure(fallback);
            }
        } catch (JoranException e) {
            throw new IllegalStateException("cannot read logging configuration " + logbackXml + ": " + e.getMessage(), e);
        }
        firstError(context, start).ifPresent(message -> {
            throw new IllegalStateException("logging configuration " + source + ": " + message);
        });
    }

    /** Flushes and closes every appender; call last, before the process exits. */
    public static void flush() {
        context().stop();
    }

    private static Optional<String> firstError(LoggerContext context, long since) {
        if (new StatusUtil(context).isErrorFree(since)) {
            return Optional.empty();
        }
        return StatusUtil.filterStatusListByTimeThreshold(context.getStatusManager().getCopyOfStatusList(), since)
                .stream()
                .filter(status -> status.getLevel() >= Status.ERROR)
                .map(status -> status.getMessage() + (status.getThrowable() == null ? "" : ": " + status.getThrowable()))
                .findFirst();
    }

    private static LoggerContext context() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext) {
            return (LoggerContext) factory;
        }
        throw new IllegalStateException("the SLF4J backend is " + factory.getClass().getName() + ", not Logback");
    }
}
