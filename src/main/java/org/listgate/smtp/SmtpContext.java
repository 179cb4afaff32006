package org.listgate.smtp;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.listgate.config.Config;
import org.listgate.events.EventLog;
import org.listgate.isolation.Boundary;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.Spool;

/**
 * What every session of one listener shares. {@code accepted}: told of each message once it is
 * durable in the spool (the gateway hands it to delivery); {@code tls}: the STARTTLS context, when
 * a keystore is configured; {@code authenticator}: the password check, when AUTH is configured;
 * {@code draining}: true once the listener is stopping.
 */
record SmtpContext(
        String hostname,
        Config.Limits limits,
        Config.Guard guard,
        Config.Content content,
        RecipientPolicy policy,
        Spool spool,
        Consumer<QueuedMessage> accepted,
        EventLog events,
        Boundary boundary,
        Clients clients,
        Optional<StartTls> tls,
        boolean tlsRequired,
        Optional<Authenticator> authenticator,
        boolean authAllowsPlaintext,
        BooleanSupplier drainingFlag) {

    boolean draining() {
        return drainingFlag.getAsBoolean();
    }
}
