package org.listgate.spool;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Mailbox;

/**
 * The SMTP envelope of one accepted message: who sent it (empty for the null reverse-path {@code
 * <>}), to whom (the accepted RCPTs, before list expansion), from where, and — when the client
 * authenticated (RFC 4954) — the SASL user name it authenticated as.
 */
public record Envelope(
        String queueId,
        Instant received,
        String client,
        String helo,
        Optional<Mailbox> sender,
        List<Mailbox> recipients,
        Optional<String> authenticated) {

    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        // Kept in the queue file as one record line: no line break may end it early.
        if (authenticated.isPresent()
                && (authenticated.get().isEmpty()
                        || authenticated.get().chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException(
                    "an authenticated user name must be one line of text");
        }
    }

    /** A message from a client that did not authenticate. */
    public Envelope(
            String queueId,
            Instant received,
            String client,
            String helo,
            Optional<Mailbox> sender,
            List<Mailbox> recipients) {
        this(queueId, received, client, helo, sender, recipients, Optional.empty());
    }

    /** The reverse-path as written in MAIL FROM and Return-Path: {@code <a@b>} or {@code <>}. */
    public String reversePath() {
        return "<" + sender.map(Mailbox::address).orElse("") + ">";
    }
}
