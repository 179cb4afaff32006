package org.listgate.config;

import java.nio.file.Path;

/** A configuration error, worded as the one line the operator sees: file, key, problem. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(Path file, String key, String problem) {
        super(file + ": " + key + ": " + problem);
    }

    public ConfigException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
