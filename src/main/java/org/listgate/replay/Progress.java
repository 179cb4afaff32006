package org.listgate.replay;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on the terminal, redrawn at most ten times a second: {@code sending
 * [#########...........] 4,512 / 10,000 RCPT}. Silent when not enabled (no terminal, or {@code
 * --json}), so logs and pipes get the report alone. Used by {@code replay} and by {@code lists
 * check}.
 */
public final class Progress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean enabled;
    private final AtomicLong done = new AtomicLong();
    private volatile long total;
    private volatile String label = "";
    private volatile String unit = "";
    private long drawnAt;

    public Progress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    /** A progress bar that draws nothing. */
    public static Progress silent() {
        return new Progress(System.err, false);
    }

    /** Starts a bar: {@code label [....] 0 / total unit}. */
    public void start(String newLabel, long newTotal, String newUnit) {
        label = newLabel;
        unit = newUnit;
        total = Math.max(1, newTotal);
        done.set(0);
        draw(true);
    }

    /** {@code n} more done. */
    public void advance(long n) {
        done.addAndGet(n);
        draw(false);
    }

    void set(long value) {
        done.set(value);
        draw(false);
    }

    /** Ends the bar: its last state stays on screen and the cursor goes to the next line. */
    public void finish() {
        if (enabled) {
            draw(true);
            synchronized (this) {
                out.print('\n');
                out.flush();
            }
        }
    }

    private void draw(boolean now) {
        if (!enabled) {
            return;
        }
        synchronized (this) {
            long time = System.nanoTime();
            if (!now && time - drawnAt < REDRAW_NANOS) {
                return;
            }
            drawnAt = time;
            long value = Math.min(done.get(), total);
            int filled = (int) (WIDTH * value / total);
            out.print(
                    String.format(
                            "\r%-9s [%s%s] %,d / %,d %s ",
                            label,
                            "#".repeat(filled),
                            ".".repeat(WIDTH - filled),
                            value,
                            total,
                            unit));
            out.flush();
        }
    }
}
