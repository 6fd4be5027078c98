package io.sandboxbroker.broker.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardStartsTest {
    private final Random random = new Random(7);

    @Test
    void between_sortsBetweenTheTwoNames_andSpreadsOverThem() {
        String[][] pairs = {
            {"lab-a-0001", "lab-a-0999"},
            {"bench-0", "bench-999"},
            {"lab", "lab-zz"},
            {"a", "b"},
            {"lab-a-0001", "lab-b-0001"},
        };
        for (String[] pair : pairs) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                String start = ShardStarts.between(pair[0], pair[1], random);
                seen.add(start);
                assertThat(start.compareTo(pair[1])).as(start).isLessThanOrEqualTo(0);
                assertThat(start).startsWith(commonPrefix(pair[0], pair[1]));
            }
            assertThat(seen)
                    .as("distinct starts between %s and %s", pair[0], pair[1])
                    .hasSizeGreaterThan(10);
        }
    }

    @Test
    void random_onlyOnceTwoNamesOfTheShardAreKnown_perPrefixAndShard() {
        ShardStarts starts = new ShardStarts();
        assertThat(starts.random("lab", 0, random)).isEmpty();

        starts.saw("lab", 0, "lab-0005", "lab-0005");
        assertThat(starts.random("lab", 0, random)).isEmpty();

        starts.saw("lab", 0, "lab-0900", "lab-0100");
        assertThat(starts.random("lab", 0, random))
                .hasValueSatisfying(
                        start -> assertThat(start).startsWith("lab-0").isLessThanOrEqualTo("lab-0900"));
        assertThat(starts.random("lab", 1, random)).isEmpty();
        assertThat(starts.random("lab-x", 0, random)).isEmpty();
    }

    private static String commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return a.substring(0, i);
    }
}
