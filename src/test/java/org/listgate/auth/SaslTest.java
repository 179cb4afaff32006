package org.listgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.listgate.auth.Sasl.Cancelled;
import org.listgate.auth.Sasl.Credentials;
import org.listgate.auth.Sasl.Decoded;
import org.listgate.auth.Sasl.Malformed;

/**
 * PLAIN and LOGIN responses as clients send them. In the tables, {@code \0} stands for NUL and a
 * response is base64-encoded before it is decoded, unless it starts with {@code raw:}.
 */
class SaslTest {

    @Test
    void decodesPlainWithoutAuthorizationIdentity() {
        // RFC 4616 §4's example: "\0tim\0tanstaaftanstaaf"
        assertThat(Sasl.plain("AHRpbQB0YW5zdGFhZnRhbnN0YWFm"))
                .isEqualTo(
                        new Decoded<>(
                                new Credentials(Optional.empty(), "tim", "tanstaaftanstaaf")));
    }

    @Test
    void decodesPlainWithAnAuthorizationIdentity() {
        // RFC 4616 §4's second example: "Ursel\0Kurt\0xipj3plmq"
        Sasl.Response<Credentials> response = Sasl.plain("VXJzZWwAS3VydAB4aXBqM3BsbXE=");

        assertThat(response)
                .isEqualTo(
                        new Decoded<>(new Credentials(Optional.of("Ursel"), "Kurt", "xipj3plmq")));
        assertThat(((Decoded<Credentials>) response).value().actsForAnother()).isTrue();
    }

    @Test
    void anAuthorizationIdentityThatIsTheUserIsNoProxy() {
        Credentials credentials = decodedPlain("ALICE\0alice\0secret");

        assertThat(credentials.actsForAnother()).isFalse();
    }

    @Test
    void decodesUtf8UserNamesAndPasswords() {
        Credentials credentials = decodedPlain("\0jürgen@example.test\0pässwörd ∑");

        assertThat(credentials.user()).isEqualTo("jürgen@example.test");
        assertThat(credentials.password()).isEqualTo("pässwörd ∑");
    }

    @Test
    void aPasswordMayHoldSpacesColonsAndControlCharacters() {
        assertThat(decodedPlain("\0alice\0 a:b\tc ").password()).isEqualTo(" a:b\tc ");
    }

    @Test
    void credentialsNeverShowThePasswordInText() {
        assertThat(decodedPlain("\0alice\0hunter2").toString())
                .contains("alice")
                .doesNotContain("hunter2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            raw:not base64!               | not base64
            raw:AGFsaWNlAHNlY3JldA=x      | not base64
            raw:=                         | expected authzid NUL authcid NUL passwd
            alice secret                  | expected authzid NUL authcid NUL passwd
            alice\\0secret                | expected authzid NUL authcid NUL passwd
            \\0alice\\0secret\\0          | more than two NULs
            \\0\\0secret                  | empty user name
            \\0alice\\0                   | empty password
            \\0ali\u001bce\\0secret      | control character in user name
            bob\u0007\\0alice\\0secret    | control character in authzid
            """)
    void refusesMalformedPlainResponses(String response, String reason) {
        assertThat(Sasl.plain(encoded(response))).isEqualTo(new Malformed<>(reason));
    }

    @Test
    void refusesPlainThatIsNotUtf8() {
        byte[] latin1 = "\0j\u00fcrgen\0secret".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(Sasl.plain(Base64.getEncoder().encodeToString(latin1)))
                .isEqualTo(new Malformed<>("not UTF-8"));
    }

    @Test
    void takes1024OctetsAndNotOneMore() {
        String prefix = "\0alice\0";
        String fits = prefix + "p".repeat(Sasl.MAX_RESPONSE_BYTES - prefix.length());

        assertThat(Sasl.plain(encoded(fits))).isInstanceOf(Decoded.class);
        assertThat(Sasl.plain(encoded(fits + "p")))
                .isEqualTo(new Malformed<>("longer than 1024 octets"));
    }

    @Test
    void refusesAMegabyteWithoutDecodingIt() {
        assertThat(Sasl.plain("A".repeat(1 << 20)))
                .isEqualTo(new Malformed<>("longer than 1024 octets"));
        assertThat(Sasl.loginUser("A".repeat(1 << 20)))
                .isEqualTo(new Malformed<>("longer than 1024 octets"));
    }

    @Test
    void anAsteriskCancels() {
        // RFC 4954 §4: the server answers 501.
        assertThat(Sasl.plain("*")).isEqualTo(new Cancelled<>());
        assertThat(Sasl.loginUser("*")).isEqualTo(new Cancelled<>());
        assertThat(Sasl.loginPassword("*")).isEqualTo(new Cancelled<>());
    }

    @Test
    void theLoginChallengesAskForUsernameAndPassword() {
        assertThat(
                        new String(
                                Base64.getDecoder().decode(Sasl.LOGIN_USER_CHALLENGE),
                                StandardCharsets.US_ASCII))
                .isEqualTo("Username:");
        assertThat(
                        new String(
                                Base64.getDecoder().decode(Sasl.LOGIN_PASSWORD_CHALLENGE),
                                StandardCharsets.US_ASCII))
                .isEqualTo("Password:");
    }

    @Test
    void decodesTheLoginUserNameAndPassword() {
        assertThat(Sasl.loginUser("YWxpY2U=")).isEqualTo(new Decoded<>("alice"));
        assertThat(Sasl.loginPassword("c2VjcmV0")).isEqualTo(new Decoded<>("secret"));
        assertThat(Sasl.loginPassword("c2VjcmV0 "))
                .as("trailing space around the base64")
                .isEqualTo(new Decoded<>("secret"));
        assertThat(Sasl.loginUser("YWxpY2U"))
                .as("padding left out")
                .isEqualTo(new Decoded<>("alice"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            raw:@@@@                    | not base64
            raw:=                       | empty user name
            ali\\0ce                    | NUL in user name
            ali\u007fce                 | control character in user name
            """)
    void refusesMalformedLoginUserNames(String response, String reason) {
        assertThat(Sasl.loginUser(encoded(response))).isEqualTo(new Malformed<>(reason));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            raw:@@@@                    | not base64
            raw:=                       | empty password
            sec\\0ret                   | NUL in password
            """)
    void refusesMalformedLoginPasswords(String response, String reason) {
        assertThat(Sasl.loginPassword(encoded(response))).isEqualTo(new Malformed<>(reason));
    }

    @Test
    void noResponseIsMalformedNotAnException() {
        assertThat(Sasl.plain(null)).isEqualTo(new Malformed<>("no response"));
    }

    @Test
    void neverThrowsOnRandomInput() {
        Random random = new Random(4616);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            String base64 = Base64.getEncoder().encodeToString(bytes);
            String garbage = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String response : new String[] {base64, garbage}) {
                assertThat(Sasl.plain(response)).isNotNull();
                assertThat(Sasl.loginUser(response)).isNotNull();
                assertThat(Sasl.loginPassword(response)).isNotNull();
            }
        }
    }

    private static Credentials decodedPlain(String message) {
        Sasl.Response<Credentials> response = Sasl.plain(encoded(message));
        assertThat(response).isInstanceOf(Decoded.class);
        return ((Decoded<Credentials>) response).value();
    }

    /** {@code raw:TEXT} as it is; otherwise base64 of the UTF-8 text with {@code \0} made NUL. */
    private static String encoded(String text) {
        if (text.startsWith("raw:")) {
            return text.substring(4);
        }
        byte[] bytes = text.replace("\\0", "\0").getBytes(StandardCharsets.UTF_8);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
