/**
 * CLI — the picocli commands: {@code serve}, {@code events}, {@code queue} ({@code list}, {@code
 * show}, {@code flush}, {@code delete}; see {@link org.listgate.cli.QueueCommand}) and {@code
 * passwd} (a line for {@code auth.passwordFile}; see {@link org.listgate.cli.PasswdCommand}).
 *
 * <p>Exit status: 0 success; 1 failure (the port cannot be bound; no such queued message; the
 * running server did not answer, or answered with an error; no usable password given to {@code
 * passwd}); 2 bad command line or configuration, always as one line on stderr, never a stack trace.
 */
package org.listgate.cli;
