package io.sandboxbroker.broker.core;

/** Sandboxes are created in numbered series; the series name is what operators plan by. */
public final class NameGroup {
    private NameGroup() {}

    /** {@code lab-adventure-0087} → {@code lab-adventure}; a name without a trailing number is its own group. */
    public static String of(String name) {
        if (name == null || name.isEmpty()) {
            return "";
        }
        String stripped = name.replaceFirst("[-_ ]?\\d+$", "");
        return stripped.isEmpty() ? name : stripped;
    }
}
