package org.listgate.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * One SMTP AUTH exchange (RFC 4954) for the PLAIN (RFC 4616) and LOGIN mechanisms: the
 * challenges, the client's base64 responses, {@code *} to cancel. What it yields is a value: the
 * credentials to check, a refusal to send, or a client that has gone. Responses are read off the
 * wire with the limits of a command line; nothing the client sends is ever echoed back.
 */
final class AuthExchange {

    /** How the exchange ended. */
    sealed interface Outcome {
        record Credentials(String mechanism, String user, String password) implements Outcome {}

        record Refused(Reply reply) implements Outcome {}

        record Gone() implements Outcome {}
    }

    private static final String USERNAME = Base64.getEncoder().encodeToString("Username:".getBytes(StandardCharsets.US_ASCII));
    private static final String PASSWORD = Base64.getEncoder().encodeToString("Password:".getBytes(StandardCharsets.US_ASCII));

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
        if (response.get().equals("*")) {
            return new Outcome.Refused(Reply.AUTH_CANCELLED);
        }
        // RFC 4954 §4: "=" is an empty initial response.
        Optional<String> decoded = response.get().equals("=") ? Optional.of("") : decode(response.get());
        if (decoded.isEmpty()) {
            return new Outcome.Refused(Reply.AUTH_BAD_RESPONSE);
        }
        // RFC 4616 §2: [authzid] NUL authcid NUL passwd.
        String[] parts = decoded.get().split("\u0000", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return new Outcome.Refused(Reply.AUTH_BAD_RESPONSE);
        }
        if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
            // Acting for another user is not offered: the identities must agree.
            return new Outcome.Refused(Reply.AUTH_FAILED);
        }
        return new Outcome.Credentials("PLAIN", parts[1], parts[2]);
    }

    private Outcome login(Optional<String> initial) throws IOException {
        Optional<String> user = initial.isPresent() ? initial : challenge(USERNAME);
        if (user.isEmpty()) {
            return new Outcome.Gone();
        }
        if (user.get().equals("*")) {
            return new Outcome.Refused(Reply.AUTH_CANCELLED);
        }
        Optional<String> name = decode(user.get());
        if (name.isEmpty() || name.get().isEmpty()) {
            return new Outcome.Refused(Reply.AUTH_BAD_RESPONSE);
        }
        Optional<String> password = challenge(PASSWORD);
        if (password.isEmpty()) {
            return new Outcome.Gone();
        }
        if (password.get().equals("*")) {
            return new Outcome.Refused(Reply.AUTH_CANCELLED);
        }
        Optional<String> secret = decode(password.get());
        if (secret.isEmpty()) {
            return new Outcome.Refused(Reply.AUTH_BAD_RESPONSE);
        }
        return new Outcome.Credentials("LOGIN", name.get(), secret.get());
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

    private static Optional<String> decode(String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64.strip());
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // Library seam: the JDK's decoder reports bad base64 by throwing.
            return Optional.empty();
        }
    }
}
