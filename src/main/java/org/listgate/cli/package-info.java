/**
 * CLI — the picocli commands: {@code serve}, {@code events}, {@code queue} ({@code list}, {@code
 * show}, {@code flush}, {@code delete}; see {@link org.listgate.cli.QueueCommand}), {@code lists
 * check} (the directory's lists expanded without sending; see {@code ListsCheckCommand}) and {@code
 * passwd} (a line for {@code auth.passwordFile}; see {@link org.listgate.cli.PasswdCommand}).
 *
 * <p>Exit status: 0 success; 1 failure (the port cannot be bound; no such queued message; the
 * running server did not answer, or answered with an error; no usable password given to {@code
 * passwd}; {@code lists check} found something); 2 bad command line or configuration, always as one
 * line on stderr, never a stack trace; 3 {@code lists check} only: the directory could not answer,
 * nothing was checked.
 */
package org.listgate.cli;
