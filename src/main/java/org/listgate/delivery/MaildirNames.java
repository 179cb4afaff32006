package org.listgate.delivery;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique Maildir file names as maildir(5) and Courier/Dovecot write them: {@code
 * <seconds>.M<microseconds>P<pid>Q<n>.<host>}, where {@code n} counts this process's deliveries, so
 * two deliveries in one microsecond still differ. In the host name, {@code /} is written {@code
 * \057} and {@code :} {@code \072}, as the spec requires.
 */
final class MaildirNames {

    private final long pid;
    private final String host;
    private final AtomicLong deliveries = new AtomicLong();

    MaildirNames(long pid, String host) {
        this.pid = pid;
        this.host = host.replace("/", "\\057").replace(":", "\\072");
    }

    String next() {
        Instant now = Instant.now();
        return now.getEpochSecond()
                + ".M"
                + (now.getNano() / 1000)
                + "P"
                + pid
                + "Q"
                + deliveries.incrementAndGet()
                + "."
                + host;
    }
}
