package org.listgate.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Streams content from SMTP's CRLF line ends to the Unix line ends a Maildir file holds. */
final class LineEnds {
    private LineEnds() {}

    static void crlfToLf(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        boolean pendingCr = false;
        int n;
        while ((n = in.read(buffer)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (pendingCr) {
                    pendingCr = false;
                    if (buffer[i] != '\n') {
                        out.write('\r');
                    }
                }
                if (buffer[i] == '\r') {
                    out.write(buffer, start, i - start);
                    start = i + 1;
                    pendingCr = true;
                }
            }
            out.write(buffer, start, n - start);
        }
        if (pendingCr) {
            out.write('\r');
        }
    }
}
