package io.sandboxbroker.jobs.store.firing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.quartz.TriggerKey;

class NodeSharesTest {
    private static final List<String> NODES = List.of("node-a", "node-b", "node-c");

    private static NodeShares sharesOf(String node, List<String> listed) {
        NodeShares shares = new NodeShares(() -> listed, node, System::nanoTime);
        shares.refreshIfStale();
        return shares;
    }

    @Test
    void everyTrigger_isTheShareOfExactlyOneNode_andEveryNodeGetsAShare() {
        List<NodeShares> views = NODES.stream().map(n -> sharesOf(n, NODES)).toList();
        int[] perNode = new int[NODES.size()];

        for (int i = 0; i < 300; i++) {
            TriggerKey key = new TriggerKey("t-" + i, "bench");
            List<Integer> owners = IntStream.range(0, views.size())
                    .filter(v -> views.get(v).mine(key))
                    .boxed()
                    .toList();
            assertThat(owners).as("owners of %s", key).hasSize(1);
            perNode[owners.get(0)]++;
        }

        assertThat(perNode).doesNotContain(0);
    }

    @Test
    void aNodeAlone_orNotYetListed_hasEveryTrigger() {
        NodeShares alone = sharesOf("node-a", List.of());
        NodeShares notListed = sharesOf("node-a", List.of("node-b"));
        NodeShares other = sharesOf("node-b", List.of("node-b"));
        assertThat(alone.nodes()).isEqualTo(1);
        assertThat(other.nodes()).isEqualTo(1);
        assertThat(notListed.nodes()).isEqualTo(2);

        for (int i = 0; i < 50; i++) {
            TriggerKey key = new TriggerKey("t-" + i, "g");
            assertThat(alone.mine(key)).isTrue();
            assertThat(other.mine(key)).isTrue();
            // node-a lists node-b, so they split: each key is one of theirs
            assertThat(notListed.mine(key))
                    .isNotEqualTo(
                            sharesOf("node-b", List.of("node-a", "node-b")).mine(key));
        }
    }

    @Test
    void theNodeList_isReadAgainWhenOld_orSoonAfterALostClaim_otherwiseNot() {
        AtomicInteger reads = new AtomicInteger();
        long[] now = {0};
        NodeShares shares = new NodeShares(
                () -> {
                    reads.incrementAndGet();
                    return NODES;
                },
                "node-a",
                () -> now[0]);

        shares.refreshIfStale();
        shares.refreshIfStale();
        assertThat(reads).hasValue(1);

        now[0] += 50_000_000L;
        shares.claimLost();
        shares.refreshIfStale();
        assertThat(reads).as("a lost claim within 100 ms of the read").hasValue(1);

        now[0] += 60_000_000L;
        shares.refreshIfStale();
        assertThat(reads).as("a lost claim, 110 ms after the read").hasValue(2);

        now[0] += 900_000_000L;
        shares.refreshIfStale();
        assertThat(reads).hasValue(2);
        now[0] += 200_000_000L;
        shares.refreshIfStale();
        assertThat(reads).as("older than a second").hasValue(3);
    }
}
