package io.sandboxbroker.jobs.store;

import org.quartz.simpl.RAMJobStore;
import org.quartz.spi.JobStore;

/** The contract against Quartz's own RAMJobStore: proves the suite's expectations are Quartz's. */
class RamJobStoreContractTest extends JobStoreContract {
    @Override
    protected JobStore newStore() {
        RAMJobStore store = new RAMJobStore();
        store.setMisfireThreshold(MISFIRE_THRESHOLD);
        return store;
    }

    @Override
    protected boolean likeJobStoreSupport() {
        return false;
    }
}
