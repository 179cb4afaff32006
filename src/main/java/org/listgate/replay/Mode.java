package org.listgate.replay;

/** Who expands the list. */
public enum Mode {
    /** One RCPT TO, the list's address: the server expands it. */
    SERVER_LIST("server-list"),
    /** Pegasus Mail expands its own list: one RCPT TO per member, one after another. */
    CLIENT_LIST("client-list");

    private final String key;

    Mode(String key) {
        this.key = key;
    }

    /** As written on the command line and in JSON. */
    public String key() {
        return key;
    }
}
