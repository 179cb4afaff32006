package org.listgate.isolation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code fault.inject}: throws an unexpected runtime exception while handling a matching
 * recipient, to re-enact the IMS crash of KB Q166570 on purpose. Rules are {@code stage:glob}
 * ({@code *} any run, {@code ?} one character, case-insensitive), stage {@code expansion} or
 * {@code delivery}.
 *
 * <p>The exception is an {@link InjectedFault}, a {@link NullPointerException}: what the access
 * violation in IMS was, so its 9001 carries code 0xc0000005 as the original did.
 */
public final class FaultInjector {

    public enum Stage {
        EXPANSION,
        DELIVERY
    }

    /** The injected fault. */
    public static final class InjectedFault extends NullPointerException {
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
        for (Rule rule : rules) {
            if (rule.stage() == stage && rule.pattern().matcher(recipient).matches()) {
                throw new InjectedFault("fault injected at " + stage.name().toLowerCase(Locale.ROOT)
                        + " for " + recipient);
            }
        }
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }
}
