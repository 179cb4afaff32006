package org.listgate.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A message safely in the spool: its envelope, and where its content lies in the queue file. */
public record QueuedMessage(Envelope envelope, Path file, long contentOffset, long contentLength) {

    public String queueId() {
        return envelope.queueId();
    }

    /** The content as received (CRLF line ends), read from the queue file. */
    public InputStream openContent() throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(contentOffset);
        return new BoundedInputStream(Channels.newInputStream(channel), contentLength);
    }
}
