package org.listgate.spool;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Mailbox;

/**
 * The SMTP envelope of one accepted message: who sent it (empty for the null reverse-path
 * {@code <>}), to whom (the accepted RCPTs, before list expansion), and from where.
 */
public record Envelope(
        String queueId, Instant received, String client, String helo, Optional<Mailbox> sender,
        List<Mailbox> recipients) {

    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
    }

    /** The reverse-path as written in MAIL FROM and Return-Path: {@code <a@b>} or {@code <>}. */
    public String reversePath() {
        return "<" + sender.map(Mailbox::address).orElse("") + ">";
    }
}
