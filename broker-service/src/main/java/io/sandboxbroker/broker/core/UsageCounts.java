package io.sandboxbroker.broker.core;

import java.util.HashMap;
import java.util.Map;

/**
 * Allocations and releases counted over some span (an hour, or the unflushed part of one):
 * allocations per pool and per track, releases per track, and the seconds those released
 * sandboxes were held (summed, so that a mean needs no list of allocations).
 */
public record UsageCounts(
        Map<String, Long> allocationsByGroup,
        Map<String, Long> allocationsByTrack,
        Map<String, Long> releasesByTrack,
        Map<String, Long> heldSecondsByTrack) {

    public static final UsageCounts NONE = new UsageCounts(Map.of(), Map.of(), Map.of(), Map.of());

    public UsageCounts {
        allocationsByGroup = Map.copyOf(allocationsByGroup);
        allocationsByTrack = Map.copyOf(allocationsByTrack);
        releasesByTrack = Map.copyOf(releasesByTrack);
        heldSecondsByTrack = Map.copyOf(heldSecondsByTrack);
    }

    public boolean isEmpty() {
        return allocationsByGroup.isEmpty()
                && allocationsByTrack.isEmpty()
                && releasesByTrack.isEmpty()
                && heldSecondsByTrack.isEmpty();
    }

    public UsageCounts plus(UsageCounts other) {
        return new UsageCounts(
                sum(allocationsByGroup, other.allocationsByGroup),
                sum(allocationsByTrack, other.allocationsByTrack),
                sum(releasesByTrack, other.releasesByTrack),
                sum(heldSecondsByTrack, other.heldSecondsByTrack));
    }

    private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> sum = new HashMap<>(a);
        b.forEach((key, count) -> sum.merge(key, count, Long::sum));
        return sum;
    }
}
