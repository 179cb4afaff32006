package org.listgate.directory;

import java.io.IOException;

/**
 * The directory could not answer: unreachable, timed out, or it answered with an error. Expected,
 * not a fault: a RCPT gets {@code 451 4.4.3}, an expansion waits and is tried again; nobody is
 * refused, isolated or bounced for it.
 */
public final class DirectoryUnavailable extends IOException {
    private static final long serialVersionUID = 1L;

    public DirectoryUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
