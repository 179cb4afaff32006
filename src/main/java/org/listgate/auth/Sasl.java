package org.listgate.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The client's side of SMTP AUTH (RFC 4954) decoded: PLAIN (RFC 4616) and LOGIN. Every response is
 * the client's text after {@code AUTH PLAIN } or in answer to a 334 challenge, CRLF removed; every
 * answer is a {@link Response} value, never an exception.
 */
public final class Sasl {

    /** The longest decoded response taken; RFC 4616 §2 leaves room for 255 octets per field. */
    public static final int MAX_RESPONSE_BYTES = 1024;

    /** The longest base64 text that can hold {@link #MAX_RESPONSE_BYTES}. */
    static final int MAX_RESPONSE_CHARS = (MAX_RESPONSE_BYTES + 2) / 3 * 4;

    /** LOGIN's first challenge, {@code 334 VXNlcm5hbWU6}: base64 of "Username:". */
    public static final String LOGIN_USER_CHALLENGE = "VXNlcm5hbWU6";

    /** LOGIN's second challenge, {@code 334 UGFzc3dvcmQ6}: base64 of "Password:". */
    public static final String LOGIN_PASSWORD_CHALLENGE = "UGFzc3dvcmQ6";

    private Sasl() {}

    /** What a client's response came to. */
    public sealed interface Response<T> {}

    public record Decoded<T>(T value) implements Response<T> {}

    /** RFC 4954 §4: the client sent "*"; the server must answer 501. */
    public record Cancelled<T>() implements Response<T> {}

    /**
     * Not base64, too long, or not what the mechanism expects; RFC 4954 §4: 501 5.5.2 for what
     * cannot be decoded. {@code reason} is for the log and never holds the password.
     */
    public record Malformed<T>(String reason) implements Response<T> {}

    /**
     * A user name and password, with the authorization identity PLAIN may carry. {@link
     * #toString()} leaves the password out, so a log line cannot show it.
     */
    public record Credentials(Optional<String> authzid, String user, String password) {

        /**
         * Whether the client asks to act as someone other than {@code user} (RFC 4616 §2: authzid
         * differs from authcid). listgate authorizes no one to do that.
         */
        public boolean actsForAnother() {
            return authzid.isPresent() && !authzid.get().equalsIgnoreCase(user);
        }

        @Override
        public String toString() {
            return "Credentials[authzid="
                    + authzid.orElse("")
                    + ", user="
                    + user
                    + ", password=(hidden)]";
        }
    }

    /**
     * PLAIN, RFC 4616 §2: base64 of {@code [authzid] NUL authcid NUL passwd}, each field UTF-8 and
     * free of NUL, authcid and passwd not empty.
     */
    public static Response<Credentials> plain(String response) {
        Response<byte[]> bytes = decode(response);
        if (!(bytes instanceof Decoded<byte[]> decoded)) {
            return relay(bytes);
        }
        byte[] message = decoded.value();
        int first = indexOfNul(message, 0);
        int second = first < 0 ? -1 : indexOfNul(message, first + 1);
        if (second < 0) {
            return new Malformed<>("expected authzid NUL authcid NUL passwd");
        }
        if (indexOfNul(message, second + 1) >= 0) {
            return new Malformed<>("more than two NULs");
        }
        Optional<String> authzid = utf8(Arrays.copyOfRange(message, 0, first));
        Optional<String> user = utf8(Arrays.copyOfRange(message, first + 1, second));
        Optional<String> password = utf8(Arrays.copyOfRange(message, second + 1, message.length));
        if (authzid.isEmpty() || user.isEmpty() || password.isEmpty()) {
            return new Malformed<>("not UTF-8");
        }
        Optional<String> problem =
                userProblem(user.get()).or(() -> passwordProblem(password.get()));
        if (problem.isPresent()) {
            return new Malformed<>(problem.get());
        }
        if (hasControl(authzid.get())) {
            return new Malformed<>("control character in authzid");
        }
        Optional<String> asWhom = authzid.get().isEmpty() ? Optional.empty() : authzid;
        return new Decoded<>(new Credentials(asWhom, user.get(), password.get()));
    }

    /**
     * LOGIN's answer to {@link #LOGIN_USER_CHALLENGE}, or the initial response of {@code AUTH
     * LOGIN}.
     */
    public static Response<String> loginUser(String response) {
        return loginField(response, true);
    }

    /** LOGIN's answer to {@link #LOGIN_PASSWORD_CHALLENGE}. */
    public static Response<String> loginPassword(String response) {
        return loginField(response, false);
    }

    private static Response<String> loginField(String response, boolean isUser) {
        Response<byte[]> bytes = decode(response);
        if (!(bytes instanceof Decoded<byte[]> decoded)) {
            return relay(bytes);
        }
        if (indexOfNul(decoded.value(), 0) >= 0) {
            return new Malformed<>("NUL in " + (isUser ? "user name" : "password"));
        }
        Optional<String> text = utf8(decoded.value());
        if (text.isEmpty()) {
            return new Malformed<>("not UTF-8");
        }
        Optional<String> problem = isUser ? userProblem(text.get()) : passwordProblem(text.get());
        return problem.<Response<String>>map(Malformed::new)
                .orElseGet(() -> new Decoded<>(text.get()));
    }

    /** Base64 to octets, after the checks every mechanism shares. */
    private static Response<byte[]> decode(String response) {
        if (response == null) {
            return new Malformed<>("no response");
        }
        String text = response.strip();
        if (text.equals("*")) {
            return new Cancelled<>();
        }
        if (text.length() > MAX_RESPONSE_CHARS) {
            return new Malformed<>("longer than " + MAX_RESPONSE_BYTES + " octets");
        }
        if (text.equals("=")) {
            // RFC 4954 §4: "=" is an initial response of zero length.
            return new Decoded<>(new byte[0]);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) { // the JDK decoder's only way of saying "not base64"
            return new Malformed<>("not base64");
        }
        if (bytes.length > MAX_RESPONSE_BYTES) {
            return new Malformed<>("longer than " + MAX_RESPONSE_BYTES + " octets");
        }
        return new Decoded<>(bytes);
    }

    /** A response that is not {@code Decoded} as the same outcome for another value type. */
    private static <T> Response<T> relay(Response<byte[]> response) {
        if (response instanceof Cancelled<byte[]>) {
            return new Cancelled<>();
        }
        if (response instanceof Malformed<byte[]> malformed) {
            return new Malformed<>(malformed.reason());
        }
        throw new AssertionError(response);
    }

    private static Optional<String> userProblem(String user) {
        if (user.isEmpty()) {
            return Optional.of("empty user name");
        }
        // Kept out so that a user name can go into a log line or an event as it is.
        return hasControl(user) ? Optional.of("control character in user name") : Optional.empty();
    }

    private static Optional<String> passwordProblem(String password) {
        return password.isEmpty() ? Optional.of("empty password") : Optional.empty();
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    private static int indexOfNul(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Strict UTF-8: malformed input is refused, not replaced. */
    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
