package org.listgate.load;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.listgate.client.MxList;

/**
 * {@code load --log FILE}: one JSON line per message, written as its fate is known, so that what
 * each server took can be set against what was delivered:
 *
 * <pre>
 * {"n":41,"messageId":"&lt;load.41.m3x2k1@load.example.test&gt;","server":"10.0.0.2:25","accepted":true,"tries":2}
 * </pre>
 *
 * <p>{@code server} is the one that accepted the message, or the last one that refused it; absent
 * when no connection could be opened. {@code tries}: the servers it was sent to (more than one
 * after a failover). Lines of several senders interleave, each whole.
 *
 * <p>DIAGNOSTICS: a write that fails does not stop the load; the first failure is kept and thrown
 * by {@link #check}, after the sending.
 */
final class MessageLog implements AutoCloseable {

    private final Optional<Writer> out;
    private final MessageText text;
    private IOException failure;

    private MessageLog(Optional<Writer> out, MessageText text) {
        this.out = out;
        this.text = text;
    }

    /** A log writing to {@code file} (created or emptied), or none. */
    static MessageLog open(Optional<Path> file, MessageText text) throws IOException {
        if (file.isEmpty()) {
            return new MessageLog(Optional.empty(), text);
        }
        BufferedWriter writer = Files.newBufferedWriter(file.get(), StandardCharsets.UTF_8);
        return new MessageLog(Optional.of(writer), text);
    }

    /** Message {@code n} was answered by {@code server}. */
    void sent(long n, String to, MxList.Server server, boolean accepted, int tries) {
        if (out.isEmpty()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("n", n);
        line.put("messageId", text.messageId(n));
        line.put("to", to);
        line.put("server", server.toString());
        line.put("accepted", accepted);
        line.put("tries", tries);
        write(line);
    }

    /** Message {@code n} found no server to take a connection. */
    void unsent(long n, int tries) {
        if (out.isEmpty()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("n", n);
        line.put("messageId", text.messageId(n));
        line.put("accepted", false);
        line.put("tries", tries);
        write(line);
    }

    private synchronized void write(Map<String, Object> line) {
        if (failure != null) {
            return;
        }
        try {
            Writer writer = out.orElseThrow();
            writer.write(JSON.std.asString(line));
            writer.write('\n');
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Throws the first write that failed, if one did. */
    synchronized void check() throws IOException {
        if (failure == null && out.isPresent()) {
            try {
                out.get().flush();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (out.isPresent()) {
            out.get().close();
        }
    }
}
