package org.listgate.smtp;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.listgate.auth.Sasl;

/**
 * One SMTP AUTH exchange (RFC 4954) for the PLAIN (RFC 4616) and LOGIN mechanisms: the challenges,
 * the client's responses ({@link Sasl} decodes them), {@code *} to cancel. What it yields is a
 * value: the credentials to check, a refusal to send, or a client that has gone. Responses are read
 * off the wire with the limits of a command line; nothing the client sends is ever echoed back.
 */
final class AuthExchange {

    /** How the exchange ended. */
    sealed interface Outcome {
        record Credentials(String mechanism, String user, String password) implements Outcome {}

        record Refused(Reply reply) implements Outcome {}

        record Gone() implements Outcome {}
    }

    private final Dialogue.Channel channel;

    AuthExchange(Dialogue.Channel channel) {
        this.channel = channel;
    }

    /** {@code argument}: what followed AUTH, {@code mechanism [initial-response]}. */
    Outcome run(String argument) throws IOException {
        String[] words = argument.isEmpty() ? new String[0] : argument.split(" +");
        if (words.length < 1 || words.length > 2) {
            return new Outcome.Refused(Reply.AUTH_SYNTAX);
        }
        String mechanism = words[0].toUpperCase(Locale.ROOT);
        Optional<String> initial = words.length == 2 ? Optional.of(words[1]) : Optional.empty();
        return switch (mechanism) {
            case "PLAIN" -> plain(initial);
            case "LOGIN" -> login(initial);
            default -> new Outcome.Refused(Reply.AUTH_MECHANISM);
        };
    }

    private Outcome plain(Optional<String> initial) throws IOException {
        Optional<String> response = initial.isPresent() ? initial : challenge("");
        if (response.isEmpty()) {
            return new Outcome.Gone();
        }
        Sasl.Response<Sasl.Credentials> decoded = Sasl.plain(response.get());
        if (!(decoded instanceof Sasl.Decoded<Sasl.Credentials> credentials)) {
            return refusal(decoded);
        }
        if (credentials.value().actsForAnother()) {
            // Acting for another user is not offered: the identities must agree.
            return new Outcome.Refused(Reply.AUTH_FAILED);
        }
        return new Outcome.Credentials(
                "PLAIN", credentials.value().user(), credentials.value().password());
    }

    private Outcome login(Optional<String> initial) throws IOException {
        Optional<String> first =
                initial.isPresent() ? initial : challenge(Sasl.LOGIN_USER_CHALLENGE);
        if (first.isEmpty()) {
            return new Outcome.Gone();
        }
        Sasl.Response<String> user = Sasl.loginUser(first.get());
        if (!(user instanceof Sasl.Decoded<String> name)) {
            return refusal(user);
        }
        Optional<String> second = challenge(Sasl.LOGIN_PASSWORD_CHALLENGE);
        if (second.isEmpty()) {
            return new Outcome.Gone();
        }
        Sasl.Response<String> password = Sasl.loginPassword(second.get());
        if (!(password instanceof Sasl.Decoded<String> secret)) {
            return refusal(password);
        }
        return new Outcome.Credentials("LOGIN", name.value(), secret.value());
    }

    /** RFC 4954 §4: a cancelled exchange is 501; so is a response that cannot be decoded. */
    private static Outcome refusal(Sasl.Response<?> response) {
        if (response instanceof Sasl.Cancelled) {
            return new Outcome.Refused(Reply.AUTH_CANCELLED);
        }
        if (response instanceof Sasl.Malformed) {
            return new Outcome.Refused(Reply.AUTH_BAD_RESPONSE);
        }
        throw new AssertionError(response);
    }

    /** Sends {@code 334 challenge}; the client's response line, empty if it has gone. */
    private Optional<String> challenge(String challenge) throws IOException {
        channel.send("334 " + challenge);
        try {
            return channel.wire().readResponseLine();
        } catch (Wire.Closed e) {
            return Optional.empty();
        }
    }
}
