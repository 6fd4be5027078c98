package io.sandboxbroker.jobs.store.firing;

import org.quartz.JobDetail;
import org.quartz.JobPersistenceException;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.spi.OperableTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's completion for Quartz, which cannot be told that it failed: retried, as a lost completion would leave a
 * non-concurrent job locked. The firing stays live meanwhile (the orphan sweep keeps off); if every attempt fails,
 * the sweep gives back what is left.
 */
public final class RetriedCompletion {
    private static final Logger LOG = LoggerFactory.getLogger(RetriedCompletion.class);
    private static final int ATTEMPTS = 10;

    private final Completion completion;
    private final Holdings holdings;

    public RetriedCompletion(Completion completion, Holdings holdings) {
        this.completion = completion;
        this.holdings = holdings;
    }

    public void complete(OperableTrigger trigger, JobDetail job, CompletedExecutionInstruction instruction) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                completion.complete(trigger, job, instruction);
                return;
            } catch (JobPersistenceException | RuntimeException e) {
                LOG.warn("action=complete outcome=retry attempt={} trigger={}", attempt, trigger.getKey(), e);
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        // the run is over but not all of it was given back: the orphan sweep does it
        holdings.orphan(trigger.getFireInstanceId());
        LOG.error("action=complete outcome=failed trigger={} job={}", trigger.getKey(), job.getKey());
    }
}
