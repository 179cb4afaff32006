package org.listgate.load;

import org.listgate.address.Status;

/**
 * A reply's last line, as far as the load counts it: the code and, when the server gives one, the
 * enhanced status (RFC 3463, RFC 2034), e.g. {@code 451 4.3.0}.
 */
record Reply(int code, String status) {

    static Reply parse(String line) {
        int code = Integer.parseInt(line.substring(0, 3));
        if (line.length() > 4) {
            int end = line.indexOf(' ', 4);
            String head = end < 0 ? line.substring(4) : line.substring(4, end);
            if (Status.isEnhanced(head, code)) {
                return new Reply(code, head);
            }
        }
        return new Reply(code, "");
    }

    /** What errors are counted by: {@code 451 4.3.0}, or {@code 421} when there is no status. */
    String key() {
        return status.isEmpty() ? String.valueOf(code) : code + " " + status;
    }
}
