package org.listgate.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain SMTP client over a real socket, for tests: every reply is read whole (multi-line too). */
public final class SmtpClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final String greeting;

    public SmtpClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
        greeting = reply();
    }

    public String greeting() {
        return greeting;
    }

    /** Sends one command line and returns the whole reply (lines joined by \n). */
    public String command(String line) throws IOException {
        write(line + "\r\n");
        return reply();
    }

    /** Sends raw bytes without reading a reply. */
    public void write(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads one whole reply; null if the server closed the connection. */
    public String reply() throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                return reply.length() == 0 ? null : reply.toString();
            }
            if (reply.length() > 0) {
                reply.append('\n');
            }
            reply.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
