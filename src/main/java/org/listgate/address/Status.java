package org.listgate.address;

/**
 * An RFC 3463 enhanced mail system status code: {@code class.subject.detail}.
 *
 * <p>The constants name the codes listgate uses; each says what it means, not where it is used.
 */
public record Status(int klass, int subject, int detail) {

    public static final Status OK = new Status(2, 0, 0);
    public static final Status DESTINATION_VALID = new Status(2, 1, 5);
    public static final Status SENDER_OK = new Status(2, 1, 0);
    public static final Status BAD_MAILBOX = new Status(5, 1, 1);
    public static final Status BAD_MAILBOX_SYNTAX = new Status(5, 1, 3);
    public static final Status BAD_SENDER_SYNTAX = new Status(5, 1, 7);
    public static final Status NO_ROUTE = new Status(5, 4, 4);
    public static final Status ROUTING_LOOP = new Status(5, 4, 6);
    public static final Status SYSTEM_FULL = new Status(4, 3, 1);
    public static final Status SYSTEM_NOT_ACCEPTING = new Status(4, 3, 2);
    public static final Status SYSTEM_ERROR = new Status(5, 3, 0);
    public static final Status SYSTEM_ERROR_TRANSIENT = new Status(4, 3, 0);
    public static final Status MESSAGE_TOO_BIG = new Status(5, 3, 4);
    public static final Status DELIVERY_TIME_EXPIRED = new Status(4, 4, 7);
    public static final Status NETWORK_ERROR_TRANSIENT = new Status(4, 4, 0);
    public static final Status NO_ANSWER_FROM_HOST = new Status(4, 4, 1);
    public static final Status BAD_CONNECTION = new Status(4, 4, 2);
    public static final Status DIRECTORY_UNAVAILABLE = new Status(4, 4, 3);
    public static final Status SECURITY_FEATURES_NOT_SUPPORTED = new Status(4, 7, 4);
    public static final Status LIST_EXPANSION_PROBLEM = new Status(5, 2, 4);
    public static final Status TOO_MANY_RECIPIENTS = new Status(4, 5, 3);
    public static final Status TOO_MANY_RECIPIENTS_PERMANENT = new Status(5, 5, 3);
    public static final Status INVALID_COMMAND = new Status(5, 5, 1);
    public static final Status SYNTAX_ERROR = new Status(5, 5, 2);
    public static final Status INVALID_PARAMETERS = new Status(5, 5, 4);
    public static final Status RELAY_DENIED = new Status(5, 7, 1);
    public static final Status NON_ASCII_ADDRESS = new Status(5, 6, 7);
    public static final Status LOCAL_MAILBOX_ERROR_TRANSIENT = new Status(4, 2, 0);
    public static final Status SECURITY_TRANSIENT = new Status(4, 7, 0);
    public static final Status POLICY_TRANSIENT = new Status(4, 7, 1);
    public static final Status SECURITY = new Status(5, 7, 0);
    public static final Status AUTHENTICATED = new Status(2, 7, 0);
    public static final Status BAD_CREDENTIALS = new Status(5, 7, 8);
    public static final Status ENCRYPTION_NEEDED = new Status(5, 7, 11);

    public Status {
        if (klass != 2 && klass != 4 && klass != 5) {
            throw new IllegalArgumentException("status class must be 2, 4 or 5: " + klass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("status subject and detail must be 0..999");
        }
    }

    /** Parses {@code "5.1.1"}. */
    public static Status parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not an enhanced status code: " + text);
        }
        try {
            return new Status(
                    Integer.parseInt(parts[0]),
                    Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an enhanced status code: " + text, e);
        }
    }

    /**
     * Whether {@code text} is the enhanced status code (RFC 3463: {@code class.subject.detail},
     * each one to three digits) that belongs with reply code {@code replyCode}: its class is the
     * reply code's first digit (RFC 2034 §4). How a client tells {@code 451 4.3.0 ...} from a reply
     * whose text merely starts with digits.
     */
    public static boolean isEnhanced(String text, int replyCode) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(String.valueOf(replyCode / 100))) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return false;
            }
        }
        return true;
    }

    public boolean isTransient() {
        return klass == 4;
    }

    @Override
    public String toString() {
        return klass + "." + subject + "." + detail;
    }
}
