package org.listgate.events;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.LayoutBase;
import java.util.Locale;
import java.util.Map;

/**
 * The console layout config/logback.xml names: {@code <format>} chooses between the IMS-style block
 * ({@link ImsLayout}, {@code ims}) and one line per event ({@link OneLineLayout}, {@code line});
 * {@code auto}, the default, is {@code line} under systemd and {@code ims} otherwise.
 *
 * <p>Under systemd means that systemd started the process: it sets {@code INVOCATION_ID} for every
 * service and {@code JOURNAL_STREAM} when standard output or error is connected to the journal
 * (systemd.exec(5), "Environment Variables in Spawned Processes").
 *
 * <p>DIAGNOSTICS: any other format is an error in Logback's status, which {@link Logging} turns
 * into a failed start naming the value.
 */
public final class ConsoleLayout extends LayoutBase<ILoggingEvent> {

    private final Map<String, String> environment;
    private String format = "auto";
    private Layout<ILoggingEvent> chosen = new ImsLayout();

    public ConsoleLayout() {
        this(System.getenv());
    }

    ConsoleLayout(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** {@code ims}, {@code line} or {@code auto}; case and surrounding blanks do not matter. */
    public void setFormat(String format) {
        this.format = format.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public void start() {
        String effective = format.isEmpty() || format.equals("auto") ? automatic() : format;
        switch (effective) {
            case "ims" -> chosen = new ImsLayout();
            case "line" -> chosen = new OneLineLayout();
            default -> {
                addError(
                        "console format \""
                                + Text.escaped(format)
                                + "\" is not one of ims, line, auto (listgate.console)");
                return;
            }
        }
        chosen.setContext(getContext());
        chosen.start();
        super.start();
    }

    @Override
    public void stop() {
        chosen.stop();
        super.stop();
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return chosen.doLayout(event);
    }

    /** The layout in use once started: for tests. */
    Layout<ILoggingEvent> chosen() {
        return chosen;
    }

    private String automatic() {
        boolean underSystemd =
                environment.containsKey("JOURNAL_STREAM")
                        || environment.containsKey("INVOCATION_ID");
        return underSystemd ? "line" : "ims";
    }
}
