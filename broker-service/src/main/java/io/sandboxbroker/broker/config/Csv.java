package io.sandboxbroker.broker.config;

import java.util.Arrays;
import java.util.List;

/** Lists that arrive as one environment variable: comma-separated, blanks ignored. */
final class Csv {
    private Csv() {}

    static List<String> split(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
