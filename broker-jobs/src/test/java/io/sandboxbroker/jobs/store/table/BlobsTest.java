package io.sandboxbroker.jobs.store.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.util.Date;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobPersistenceException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.calendar.HolidayCalendar;
import org.quartz.spi.OperableTrigger;

/** What the store writes reads back; anything outside the allow-list is refused before it runs. */
class BlobsTest {
    private final Blobs blobs = new Blobs(BlobsTest.class.getClassLoader());

    /** Would run code when deserialised, as a gadget does. */
    static final class Gadget implements Serializable {
        static final AtomicBoolean RAN = new AtomicBoolean();

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            RAN.set(true);
        }
    }

    @Test
    void triggersCalendarsAndJobData_roundTrip() throws Exception {
        OperableTrigger cron = (OperableTrigger) TriggerBuilder.newTrigger()
                .withIdentity("c", "g")
                .withSchedule(CronScheduleBuilder.cronSchedule("0 15 3 * * ?")
                        .inTimeZone(TimeZone.getTimeZone("Europe/Berlin")))
                .usingJobData("run_id", "r-1")
                .build();
        OperableTrigger simple = (OperableTrigger) TriggerBuilder.newTrigger()
                .withIdentity("s", "g")
                .startAt(new Date(0))
                .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(30))
                .build();
        HolidayCalendar holidays = new HolidayCalendar();
        holidays.addExcludedDate(new Date(86_400_000L));
        JobDataMap data = new JobDataMap();
        data.put("name", "x");
        data.put("count", 3);
        data.put("at", 12L);

        assertThat(blobs.read(blobs.write(cron), OperableTrigger.class).getKey())
                .isEqualTo(cron.getKey());
        assertThat(blobs.read(blobs.write(simple), OperableTrigger.class).getKey())
                .isEqualTo(simple.getKey());
        assertThat(blobs.read(blobs.write(holidays), HolidayCalendar.class).getExcludedDates())
                .hasSize(1);
        assertThat(blobs.read(blobs.write(data), JobDataMap.class).getWrappedMap())
                .containsEntry("name", "x")
                .containsEntry("count", 3)
                .containsEntry("at", 12L);
    }

    @Test
    void read_classOutsideTheAllowList_refusedBeforeItRuns_andNamed() throws Exception {
        JobDataMap poisoned = new JobDataMap();
        poisoned.put("payload", new Gadget());
        var bytes = blobs.write(poisoned);

        assertThatThrownBy(() -> blobs.read(bytes, JobDataMap.class))
                .isInstanceOf(JobPersistenceException.class)
                .hasMessageContaining(Gadget.class.getName())
                .hasMessageContaining("allow-list");
        assertThat(Gadget.RAN).isFalse();
    }
}
