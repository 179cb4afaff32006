/**
 * CLI — the picocli commands: {@code serve}, {@code events} and {@code queue}
 * ({@code list}, {@code show}, {@code flush}, {@code delete}; see {@link org.listgate.cli.QueueCommand}).
 *
 * <p>Exit status: 0 success; 1 failure (the port cannot be bound; no such queued message; the
 * running server did not answer, or answered with an error); 2 bad command line or
 * configuration, always as one line on stderr, never a stack trace.
 */
package org.listgate.cli;
