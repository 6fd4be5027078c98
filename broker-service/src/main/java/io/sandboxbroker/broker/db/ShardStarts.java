package io.sandboxbroker.broker.db;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Random starting points for reads of one shard of the available index. Reads that always start
 * at an end of a shard make processes that happen to pick the same shard and direction hold the
 * same candidates, and all but one of them lose the race for each. The index is sorted by name,
 * so a read can start at any name: this remembers the lowest and highest names seen per shard
 * (and name prefix) and draws a starting point between them. Until two names of a shard have
 * been seen, it has none, and the caller reads from an end (and one item from the other end). No
 * item carries anything for this: the names the reads return are all it needs.
 */
final class ShardStarts {
    /** Enough random characters after the names' common prefix to spread starts over a big shard. */
    private static final int RANDOM_CHARS = 4;
    /** Bounded: prefixes come from a header. */
    private static final int MAX_RANGES = 4096;

    private record Range(String low, String high) {
        Range widen(String first, String last) {
            return new Range(first.compareTo(low) < 0 ? first : low, last.compareTo(high) > 0 ? last : high);
        }
    }

    private final ConcurrentHashMap<String, Range> ranges = new ConcurrentHashMap<>();

    /** Names read from the shard, in index order (either direction). */
    void saw(String prefix, int shard, String first, String last) {
        String low = first.compareTo(last) <= 0 ? first : last;
        String high = first.compareTo(last) <= 0 ? last : first;
        if (ranges.size() >= MAX_RANGES) {
            ranges.clear();
        }
        ranges.merge(key(prefix, shard), new Range(low, high), (old, seen) -> old.widen(seen.low(), seen.high()));
    }

    /** A random name to start reading the shard at, once more than one name of it is known. */
    Optional<String> random(String prefix, int shard, RandomGenerator random) {
        Range range = ranges.get(key(prefix, shard));
        if (range == null || range.low().equals(range.high())) {
            return Optional.empty();
        }
        return Optional.of(between(range.low(), range.high(), random));
    }

    /**
     * A string that sorts no higher than {@code high}, and mostly not below {@code low} (a start
     * below only means the read starts at the low end): their common prefix, a character between
     * theirs where they first differ, then a few characters from the range their tails use.
     */
    static String between(String low, String high, RandomGenerator random) {
        for (int draw = 0; draw < 8; draw++) {
            String start = draw(low, high, random);
            if (start.compareTo(high) <= 0) {
                return start;
            }
        }
        return low;
    }

    private static String draw(String low, String high, RandomGenerator random) {
        int common = 0;
        while (common < low.length() && common < high.length() && low.charAt(common) == high.charAt(common)) {
            common++;
        }
        char min = Character.MAX_VALUE;
        char max = Character.MIN_VALUE;
        for (String tail : new String[] {low.substring(common), high.substring(common)}) {
            for (int i = 0; i < tail.length(); i++) {
                min = (char) Math.min(min, tail.charAt(i));
                max = (char) Math.max(max, tail.charAt(i));
            }
        }
        StringBuilder start = new StringBuilder(high.substring(0, common));
        char from = common < low.length() ? low.charAt(common) : min;
        start.append(randomChar(from, high.charAt(common), random));
        for (int i = 0; i < RANDOM_CHARS; i++) {
            start.append(randomChar(min, max, random));
        }
        return start.toString();
    }

    private static char randomChar(char from, char to, RandomGenerator random) {
        char picked = (char) (from + random.nextInt(to - from + 1));
        // Half a surrogate pair is not a character a key can hold.
        return Character.isSurrogate(picked) ? to : picked;
    }

    private static String key(String prefix, int shard) {
        return shard + "#" + prefix;
    }
}
