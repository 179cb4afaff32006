package org.listgate.isolation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code fault.inject}: faults on purpose, for drills and tests. Rules are {@code stage:glob}
 * ({@code *} any run, {@code ?} one character, case-insensitive), matched against a recipient.
 *
 * <ul>
 *   <li>{@code expansion}, {@code delivery}: an unexpected runtime exception while handling a
 *       matching recipient, to re-enact the IMS crash of KB Q166570. The exception is an {@link
 *       InjectedFault}, a {@link NullPointerException}: what the access violation in IMS was, so
 *       its 9001 carries code 0xc0000005 as the original did.
 *   <li>{@code spool}: a message with a matching RCPT cannot be written to the spool, as on a full
 *       disk: the spool's file layer fails with {@code IOException("No space left on device")} (see
 *       {@link #spoolFull}). That is an expected failure, not a 9001: the client gets {@code 452
 *       4.3.1} and may try again.
 * </ul>
 */
public final class FaultInjector {

    public enum Stage {
        EXPANSION,
        DELIVERY,
        SPOOL
    }

    /** The injected fault. */
    public static final class InjectedFault extends NullPointerException {
        private static final long serialVersionUID = 1L;

        InjectedFault(String message) {
            super(message);
        }
    }

    private record Rule(Stage stage, Pattern pattern) {}

    private final List<Rule> rules;

    public FaultInjector(List<String> specs) {
        List<Rule> parsed = new ArrayList<>();
        for (String spec : specs) {
            int colon = spec.indexOf(':');
            Stage stage = Stage.valueOf(spec.substring(0, colon).trim().toUpperCase(Locale.ROOT));
            parsed.add(new Rule(stage, glob(spec.substring(colon + 1).trim())));
        }
        this.rules = List.copyOf(parsed);
    }

    public static FaultInjector none() {
        return new FaultInjector(List.of());
    }

    /** Throws {@link InjectedFault} if a rule of {@code stage} matches {@code recipient}. */
    public void check(Stage stage, String recipient) {
        if (matches(stage, recipient)) {
            throw new InjectedFault(
                    "fault injected at "
                            + stage.name().toLowerCase(Locale.ROOT)
                            + " for "
                            + recipient);
        }
    }

    /**
     * Whether a {@code spool} rule matches one of {@code recipients}: then the message's spool
     * writes fail.
     */
    public boolean spoolFull(Collection<String> recipients) {
        return recipients.stream().anyMatch(recipient -> matches(Stage.SPOOL, recipient));
    }

    private boolean matches(Stage stage, String recipient) {
        for (Rule rule : rules) {
            if (rule.stage() == stage && rule.pattern().matcher(recipient).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }
}
