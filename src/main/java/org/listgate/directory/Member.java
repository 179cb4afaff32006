package org.listgate.directory;

import org.listgate.address.ParseResult;

/**
 * One member of a list as written ({@code text}), what the address parser made of it, and where it
 * was written ({@code file:line}). A member that is not a valid address is kept: it is isolated
 * when a message is expanded, not when the file is read.
 */
public record Member(String text, ParseResult parsed, String origin) {}
