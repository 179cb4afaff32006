package org.listgate.spool;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code fault.inject = spool:GLOB}: what a full disk does to a queue file being written. The first
 * {@code room} bytes reach the file, then the write fails as write(2) does on ENOSPC (a short
 * write, then the error), so everything after it is the real error path: a partial file in {@code
 * tmp/}, the writer's clean-up, the 452 and the session going on.
 */
final class FullDisk extends FilterOutputStream {

    static final String MESSAGE = "No space left on device (injected by fault.inject spool)";

    private long room;

    FullDisk(OutputStream out, long room) {
        super(out);
        this.room = room;
    }

    @Override
    public void write(int b) throws IOException {
        if (room <= 0) {
            throw new IOException(MESSAGE);
        }
        out.write(b);
        room--;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int fits = (int) Math.min(len, room);
        if (fits > 0) {
            out.write(b, off, fits);
            room -= fits;
        }
        if (fits < len) {
            throw new IOException(MESSAGE);
        }
    }
}
