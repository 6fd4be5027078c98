package io.sandboxbroker.broker.core;

import java.util.regex.Pattern;

/** Sandboxes are created in numbered series; the series name is what operators plan by. */
public final class NameGroup {
    private static final Pattern NUMBERED = Pattern.compile("[-_ ]?\\d+$");

    private NameGroup() {}

    /** {@code lab-adventure-0087} → {@code lab-adventure}; a name without a trailing number is its own group. */
    public static String of(String name) {
        if (name == null || name.isEmpty()) {
            return "";
        }
        String stripped = NUMBERED.matcher(name).replaceFirst("");
        return stripped.isEmpty() ? name : stripped;
    }
}
