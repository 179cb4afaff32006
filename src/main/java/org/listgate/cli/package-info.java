/**
 * CLI — the picocli commands: {@code serve} and {@code events}.
 *
 * <p>Exit status: 0 success; 1 failure (the port cannot be bound); 2 bad command line or
 * configuration, always as one line on stderr, never a stack trace.
 */
package org.listgate.cli;
