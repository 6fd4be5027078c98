package io.sandboxbroker.broker.metrics;

/**
 * Dropwizard Metrics has no labels, so a labelled series is named {@code base{key=value,…}}; the
 * Prometheus rendering ({@link LabelledSampleBuilder}) turns that back into a family with labels,
 * and the admin port's JSON shows it as it is.
 */
public final class MetricNames {
    private MetricNames() {}

    /** {@code base{k1=v1,k2=v2}} from alternating keys and values; values lose {@code , = { }} and quotes. */
    public static String labelled(String base, String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        StringBuilder name = new StringBuilder(base).append('{');
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (i > 0) {
                name.append(',');
            }
            name.append(keysAndValues[i]).append('=').append(value(keysAndValues[i + 1]));
        }
        return name.append('}').toString();
    }

    static String value(String raw) {
        StringBuilder clean = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length() && clean.length() < 128; i++) {
            char c = raw.charAt(i);
            clean.append(c == ',' || c == '=' || c == '"' || c == '\\' || c < 0x20 || c >= 0x7f ? '_' : c);
        }
        return clean.toString();
    }
}
