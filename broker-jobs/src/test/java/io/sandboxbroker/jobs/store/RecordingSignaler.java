package io.sandboxbroker.jobs.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.spi.SchedulerSignaler;

/** Records what a store signals, for assertions. */
public final class RecordingSignaler implements SchedulerSignaler {
    public final List<TriggerKey> misfired = new CopyOnWriteArrayList<>();
    public final List<TriggerKey> finalized = new CopyOnWriteArrayList<>();
    public final List<JobKey> jobsDeleted = new CopyOnWriteArrayList<>();

    @Override
    public void notifyTriggerListenersMisfired(Trigger trigger) {
        misfired.add(trigger.getKey());
    }

    @Override
    public void notifySchedulerListenersFinalized(Trigger trigger) {
        finalized.add(trigger.getKey());
    }

    @Override
    public void notifySchedulerListenersJobDeleted(JobKey jobKey) {
        jobsDeleted.add(jobKey);
    }

    @Override
    public void signalSchedulingChange(long candidateNewNextFireTime) {}

    @Override
    public void notifySchedulerListenersError(String string, SchedulerException jpe) {}
}
