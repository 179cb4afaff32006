/**
 * CLIENT — what listgate's own SMTP clients ({@code replay}, {@code load}) share: opening a
 * connection to a server, with its failures told apart (refused, timed out, anything else) so that
 * each client can report them in its own terms.
 *
 * <p>SECURITY: a client; it only connects where it is told to.
 */
package org.listgate.client;
