package org.listgate.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The users SMTP AUTH knows and their password hashes, from a file in Dovecot's passwd-file style:
 * one {@code user:{SCHEME}hash} a line, further {@code :}-separated fields ignored, {@code #}
 * comments and blank lines skipped. Schemes: SHA512-CRYPT, SHA256-CRYPT, BLF-CRYPT, and the same
 * hashes bare or under {@code {CRYPT}}. User names match in any case.
 *
 * <p>Immutable once loaded; {@link #verify} may be called from any thread.
 */
public final class PasswordFile {

    /** Longer passwords are not checked at all; the SASL decoder refuses them before. */
    public static final int MAX_PASSWORD_BYTES = Sasl.MAX_RESPONSE_BYTES;

    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private static final byte[] DECOY_PASSWORD = "decoy".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final Map<String, PasswordHash> users;
    private final PasswordHash decoy;

    private PasswordFile(Path file, Map<String, PasswordHash> users, PasswordHash decoy) {
        this.file = file;
        this.users = Map.copyOf(users);
        this.decoy = decoy;
    }

    /**
     * Reads {@code file}. Every problem is a {@link CredentialFileException} naming the file and
     * the line: a plain-text password or an unknown scheme, a malformed hash, a user twice.
     */
    public static PasswordFile load(Path file) throws CredentialFileException {
        Map<String, PasswordHash> users = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                String[] fields = text.split(":", 3);
                if (fields.length < 2) {
                    throw new CredentialFileException(file, number, "expected user:{SCHEME}hash");
                }
                Optional<String> badUser = userProblem(fields[0]);
                if (badUser.isPresent()) {
                    throw new CredentialFileException(file, number, badUser.get());
                }
                String key = key(fields[0]);
                if (lineOf.containsKey(key)) {
                    throw new CredentialFileException(
                            file,
                            number,
                            "user " + fields[0] + " is already on line " + lineOf.get(key));
                }
                PasswordHash.Parsed parsed = PasswordHash.parse(fields[1]);
                if (parsed instanceof PasswordHash.Parsed.Refused refused) {
                    throw new CredentialFileException(
                            file, number, "user " + fields[0] + ": " + refused.reason());
                }
                users.put(key, ((PasswordHash.Parsed.Usable) parsed).hash());
                lineOf.put(key, number);
            }
        } catch (NoSuchFileException e) {
            throw new CredentialFileException(file, "no such file");
        } catch (CharacterCodingException e) {
            throw new CredentialFileException(file, "not UTF-8 text");
        } catch (IOException e) {
            throw new CredentialFileException(
                    file, "cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return new PasswordFile(file, users, decoy(users));
    }

    /**
     * Whether {@code password} is {@code user}'s. An unknown user costs one hash check too, against
     * a decoy of the scheme and cost most users have, so the time taken does not tell who exists.
     * Empty passwords and passwords over {@link #MAX_PASSWORD_BYTES} are wrong.
     */
    public boolean verify(String user, String password) {
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        if (secret.length == 0 || secret.length > MAX_PASSWORD_BYTES) {
            return false;
        }
        PasswordHash hash = users.get(key(user));
        if (hash == null) {
            decoy.matches(secret); // the time of a check, not its answer
            return false;
        }
        return hash.matches(secret);
    }

    /** How many users the file holds. */
    public int size() {
        return users.size();
    }

    public Path file() {
        return file;
    }

    /** What an unknown user's password is checked against. */
    PasswordHash decoy() {
        return decoy;
    }

    /**
     * Why {@code user} cannot be a user name in a password file, if it cannot: empty, longer than
     * 256 characters, or holding {@code :} (the field separator), white space or a control
     * character; {@code #} cannot start it.
     */
    public static Optional<String> userProblem(String user) {
        if (user.isEmpty()) {
            return Optional.of("empty user name");
        }
        if (user.length() > 256) {
            return Optional.of("user name longer than 256 characters");
        }
        if (user.startsWith("#")) {
            return Optional.of("user name starts with '#' (a comment)");
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c == ':') {
                return Optional.of("user name holds ':' (the field separator)");
            }
            if (Character.isWhitespace(c)
                    || Character.isSpaceChar(c)
                    || Character.isISOControl(c)) {
                return Optional.of("user name holds white space or a control character");
            }
        }
        return Optional.empty();
    }

    /**
     * A line for a password file: {@code user:{SHA512-CRYPT}$6$salt$hash}, with a fresh random
     * salt, as {@code doveadm pw -s SHA512-CRYPT} would write it.
     *
     * @throws IllegalArgumentException when {@link #userProblem} has one, or the password is empty
     *     or over {@link #MAX_PASSWORD_BYTES}: check first
     */
    public static String entry(String user, String password) {
        userProblem(user)
                .ifPresent(
                        problem -> {
                            throw new IllegalArgumentException(problem);
                        });
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        if (secret.length == 0 || secret.length > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException(
                    "password must be 1 to " + MAX_PASSWORD_BYTES + " octets");
        }
        return user + ":" + PasswordHash.sha512Crypt(secret, new SecureRandom()).stored();
    }

    /**
     * A warning when {@code file} may be read or run by others than its owner (POSIX mode wider
     * than 0600); empty when it is not, or the file system has no POSIX permissions.
     */
    public static Optional<String> permissionWarning(Path file) {
        PosixFileAttributeView view =
                Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return Optional.empty();
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (IOException e) {
            return Optional.of(file + ": cannot read its permissions: " + e.getMessage());
        }
        if (OWNER_READ_WRITE.containsAll(permissions)) {
            return Optional.empty();
        }
        return Optional.of(
                file
                        + ": mode "
                        + octal(permissions)
                        + " is wider than 0600; "
                        + "the password hashes should be readable by their owner only (chmod 600 "
                        + file
                        + ")");
    }

    private static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |=
                    switch (permission) {
                        case OWNER_READ -> 0400;
                        case OWNER_WRITE -> 0200;
                        case OWNER_EXECUTE -> 0100;
                        case GROUP_READ -> 040;
                        case GROUP_WRITE -> 020;
                        case GROUP_EXECUTE -> 010;
                        case OTHERS_READ -> 04;
                        case OTHERS_WRITE -> 02;
                        case OTHERS_EXECUTE -> 01;
                    };
        }
        return String.format(Locale.ROOT, "%04o", mode);
    }

    private static String key(String user) {
        return user.toLowerCase(Locale.ROOT);
    }

    /**
     * The decoy of the most common scheme and cost; SHA512-CRYPT at 5000 rounds for an empty file.
     */
    private static PasswordHash decoy(Map<String, PasswordHash> users) {
        Map<PasswordHash, Integer> counts = new LinkedHashMap<>();
        users.values().forEach(hash -> counts.merge(hash.decoy(), 1, Integer::sum));
        return counts.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElseGet(
                        () -> PasswordHash.sha512Crypt(DECOY_PASSWORD, new SecureRandom()).decoy());
    }
}
