package io.sandboxbroker.jobs.store.table;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.quartz.JobKey;

class KeysTest {
    @Test
    void jobKeyOf_readsBackEveryJobPk_whateverItsGroupAndNameHold() {
        for (JobKey key : new JobKey[] {
            new JobKey("plain", "group"),
            new JobKey("a#b", "g#1"),
            new JobKey("%23", "%25"),
            new JobKey("%#%", "#%#"),
            new JobKey("", "x")
        }) {
            assertThat(Keys.jobKeyOf(Keys.job(key))).isEqualTo(key);
        }
    }
}
