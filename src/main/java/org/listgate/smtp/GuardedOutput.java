package org.listgate.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Writes that a client cannot stall for ever: the watchdog closes the socket of a write that has
 * not finished within its time (RFC 5321 §4.5.3.2 gives the client minutes, not hours).
 */
final class GuardedOutput extends OutputStream {
    private final OutputStream out;
    private final Watchdog watchdog;
    private final Socket socket;

    GuardedOutput(OutputStream out, Watchdog watchdog, Socket socket) {
        this.out = out;
        this.watchdog = watchdog;
        this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Watchdog.Ticket ticket = watchdog.arm(socket);
        try {
            out.write(bytes, offset, length);
        } finally {
            ticket.disarm();
        }
    }

    @Override
    public void flush() throws IOException {
        Watchdog.Ticket ticket = watchdog.arm(socket);
        try {
            out.flush();
        } finally {
            ticket.disarm();
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
