package org.listgate.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw SMTP client for tests: it sends exactly what it is given and reads replies as sent. */
public final class SmtpClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String greeting;
    private String lastRaw = "";

    public SmtpClient(int port) throws IOException {
        this(port, null);
    }

    /** Connects from {@code localAddress} (e.g. 127.0.0.2, to be another client); null for any. */
    public SmtpClient(int port, String localAddress) throws IOException {
        socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        greeting = reply();
    }

    public String greeting() {
        return greeting;
    }

    public Socket socket() {
        return socket;
    }

    /** Sends one command line and returns the whole reply (lines joined by \n). */
    public String command(String line) throws IOException {
        write(line + "\r\n");
        return reply();
    }

    /** Sends raw text without reading a reply. */
    public void write(String raw) throws IOException {
        write(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends raw bytes without reading a reply. */
    public void write(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Reads one whole reply; null if the server closed the connection. */
    public String reply() throws IOException {
        StringBuilder reply = new StringBuilder();
        StringBuilder raw = new StringBuilder();
        while (true) {
            String line = rawLine();
            if (line == null) {
                lastRaw = raw.toString();
                return reply.length() == 0 ? null : reply.toString();
            }
            raw.append(line);
            line =
                    line.endsWith("\r\n")
                            ? line.substring(0, line.length() - 2)
                            : line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
            if (reply.length() > 0) {
                reply.append('\n');
            }
            reply.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                lastRaw = raw.toString();
                return reply.toString();
            }
        }
    }

    /** The last reply exactly as it came, line ends included. */
    public String lastRawReply() {
        return lastRaw;
    }

    /** DATA, the content (CRLF line ends, dot-stuffed by the caller if needed), the final dot. */
    public String data(String content) throws IOException {
        String start = command("DATA");
        if (!start.startsWith("354")) {
            return start;
        }
        write(content.endsWith("\r\n") ? content : content + "\r\n");
        return command(".");
    }

    /** Whether the server has closed the connection (reads until it does, or the timeout). */
    public boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private String rawLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (java.net.SocketException e) {
                b = -1;
            }
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
