package org.listgate.auth;

import java.nio.file.Path;

/**
 * A password file or TLS keystore that cannot be used, worded as the one line the operator sees:
 * file, line when there is one, problem. The message never holds a password or a hash.
 */
public final class CredentialFileException extends Exception {

    private static final long serialVersionUID = 1L;

    public CredentialFileException(Path file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }

    public CredentialFileException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
