package org.listgate.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.IllegalBCryptFormatException;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.listgate.events.Text;

/**
 * One stored password hash, in crypt(3) form, and the one place its {@code {SCHEME}hash} text is
 * read and written. {@link #parse} checks a hash completely, so that {@link #matches} never meets a
 * malformed one and never throws.
 */
sealed interface PasswordHash {

    /** Whether {@code password} (UTF-8, not empty) hashes to this. Compares in constant time. */
    boolean matches(byte[] password);

    /**
     * A hash of the same scheme and cost that no password is known for: checking a password against
     * it costs what checking against this does. Equal for equal scheme and cost.
     */
    PasswordHash decoy();

    /** As it is written in a password file: {@code {SHA512-CRYPT}$6$...}. */
    String stored();

    /** What {@link #parse} found: a hash to use, or why the text is refused. */
    sealed interface Parsed {
        record Usable(PasswordHash hash) implements Parsed {}

        /** {@code reason} names the scheme at most, never the text (it may be a password). */
        record Refused(String reason) implements Parsed {}
    }

    Set<String> PLAIN_TEXT = Set.of("PLAIN", "CLEAR", "CLEARTEXT", "PLAIN-TRUNC");

    /**
     * Reads the password field of a passwd-file line: {@code {SCHEME}hash}, or a crypt(3) hash with
     * no scheme, recognised by its {@code $6$}, {@code $5$} or {@code $2y$} prefix as Dovecot's
     * {@code CRYPT} default scheme does.
     */
    static Parsed parse(String field) {
        if (field.isEmpty()) {
            return new Parsed.Refused("no password hash");
        }
        if (!field.startsWith("{")) {
            return crypt(field)
                    .orElse(
                            new Parsed.Refused(
                                    "no {SCHEME} and not a $6$, $5$ or $2y$ crypt hash; plain text is refused (see listgate passwd)"));
        }
        int close = field.indexOf('}');
        if (close < 0) {
            return new Parsed.Refused("no '}' after '{' of the scheme");
        }
        String scheme = field.substring(1, close).toUpperCase(Locale.ROOT);
        String hash = field.substring(close + 1);
        if (PLAIN_TEXT.contains(scheme)) {
            return new Parsed.Refused(
                    "plain-text password (scheme {"
                            + scheme
                            + "}) refused; "
                            + "hash it with listgate passwd");
        }
        return switch (scheme) {
            case "SHA512-CRYPT" -> ShaCrypt.parse(ShaCrypt.Variant.SHA512, hash);
            case "SHA256-CRYPT" -> ShaCrypt.parse(ShaCrypt.Variant.SHA256, hash);
            case "BLF-CRYPT" -> Bcrypt.parse(hash);
            // Dovecot's {CRYPT} is crypt(3), which glibc extends to the prefixed schemes.
            case "CRYPT" ->
                    crypt(hash)
                            .orElse(
                                    new Parsed.Refused(
                                            "{CRYPT} hash is not $6$, $5$ or $2y$ (DES-crypt is refused)"));
            default ->
                    new Parsed.Refused(
                            "unknown scheme {"
                                    + Text.word(Text.cut(scheme, 32))
                                    + "}; use SHA512-CRYPT, SHA256-CRYPT or BLF-CRYPT");
        };
    }

    /**
     * A new SHA512-CRYPT hash of {@code password} with 16 random salt characters, as doveadm pw
     * writes.
     */
    static PasswordHash sha512Crypt(byte[] password, SecureRandom random) {
        StringBuilder salt = new StringBuilder(ShaCrypt.Variant.SHA512.prefix());
        for (int i = 0; i < 16; i++) {
            salt.append(ShaCrypt.ALPHABET.charAt(random.nextInt(ShaCrypt.ALPHABET.length())));
        }
        return new ShaCrypt(
                ShaCrypt.Variant.SHA512, Sha2Crypt.sha512Crypt(password, salt.toString()));
    }

    private static Optional<Parsed> crypt(String hash) {
        if (hash.startsWith(ShaCrypt.Variant.SHA512.prefix())) {
            return Optional.of(ShaCrypt.parse(ShaCrypt.Variant.SHA512, hash));
        }
        if (hash.startsWith(ShaCrypt.Variant.SHA256.prefix())) {
            return Optional.of(ShaCrypt.parse(ShaCrypt.Variant.SHA256, hash));
        }
        if (hash.matches("\\$2[aby]\\$.*")) {
            return Optional.of(Bcrypt.parse(hash));
        }
        return Optional.empty();
    }

    /** Compares a computed hash with the stored one in time independent of where they differ. */
    private static boolean same(byte[] computed, String stored) {
        return MessageDigest.isEqual(computed, stored.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * SHA-crypt, Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512" (as glibc and Dovecot):
     * {@code $6$[rounds=N$]salt$hash}, salt up to 16 characters of {@code [./0-9A-Za-z]}, N from
     * 1000 to 999,999,999 (5000 when absent).
     */
    record ShaCrypt(Variant variant, String crypt) implements PasswordHash {

        static final String ALPHABET =
                "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

        enum Variant {
            SHA512("SHA512-CRYPT", "$6$", 86),
            SHA256("SHA256-CRYPT", "$5$", 43);

            private final String scheme;
            private final String prefix;
            private final int hashChars;
            private final Pattern form;

            Variant(String scheme, String prefix, int hashChars) {
                this.scheme = scheme;
                this.prefix = prefix;
                this.hashChars = hashChars;
                this.form =
                        Pattern.compile(
                                Pattern.quote(prefix)
                                        + "(?:rounds=([1-9][0-9]{0,8})\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{"
                                        + hashChars
                                        + "}");
            }

            String prefix() {
                return prefix;
            }
        }

        static Parsed parse(Variant variant, String hash) {
            Matcher matcher = variant.form.matcher(hash);
            if (!matcher.matches()) {
                return new Parsed.Refused("malformed " + variant.scheme + " hash");
            }
            // Fewer rounds are raised to 1000 when hashing, so such a hash could never match.
            if (matcher.group(1) != null && Integer.parseInt(matcher.group(1)) < 1000) {
                return new Parsed.Refused(variant.scheme + " hash with fewer than 1000 rounds");
            }
            return new Parsed.Usable(new ShaCrypt(variant, hash));
        }

        @Override
        public boolean matches(byte[] password) {
            // The whole stored hash serves as the salt argument: prefix, rounds and salt are read
            // from it.
            String computed =
                    variant == Variant.SHA512
                            ? Sha2Crypt.sha512Crypt(password, crypt)
                            : Sha2Crypt.sha256Crypt(password, crypt);
            return same(computed.getBytes(StandardCharsets.US_ASCII), crypt);
        }

        @Override
        public PasswordHash decoy() {
            Matcher matcher = variant.form.matcher(crypt);
            matcher.matches(); // it did at parse: only to read the rounds
            String rounds = matcher.group(1) == null ? "" : "rounds=" + matcher.group(1) + "$";
            return new ShaCrypt(
                    variant,
                    variant.prefix + rounds + "decoydecoydecoyd$" + ".".repeat(variant.hashChars));
        }

        @Override
        public String stored() {
            return "{" + variant.scheme + "}" + crypt;
        }
    }

    /**
     * bcrypt as OpenBSD, crypt_blowfish and Dovecot's BLF-CRYPT write it: {@code $2y$NN$} and 53
     * characters of salt and hash; {@code $2a$} and {@code $2b$} too. Passwords beyond 72 octets
     * are cut there, as those implementations do.
     */
    record Bcrypt(String crypt, BCrypt.HashData data) implements PasswordHash {

        private static final Pattern FORM =
                Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

        static Parsed parse(String hash) {
            if (!FORM.matcher(hash).matches()) {
                return new Parsed.Refused("malformed BLF-CRYPT hash");
            }
            try {
                BCrypt.HashData data =
                        BCrypt.Version.VERSION_2Y.parser.parse(
                                hash.getBytes(StandardCharsets.US_ASCII));
                return new Parsed.Usable(new Bcrypt(hash, data));
            } catch (IllegalBCryptFormatException
                    | IllegalArgumentException e) { // the library's seam
                return new Parsed.Refused("malformed BLF-CRYPT hash");
            }
        }

        @Override
        public boolean matches(byte[] password) {
            byte[] computed =
                    BCrypt.with(data.version, LongPasswordStrategies.truncate(data.version))
                            .hash(data.cost, data.rawSalt, password);
            return same(computed, crypt);
        }

        @Override
        public PasswordHash decoy() {
            String decoy = crypt.substring(0, 7) + "decoydecoydecoydecoyde" + ".".repeat(31);
            return parse(decoy) instanceof Parsed.Usable usable ? usable.hash() : this;
        }

        @Override
        public String stored() {
            return "{BLF-CRYPT}" + crypt;
        }
    }
}
