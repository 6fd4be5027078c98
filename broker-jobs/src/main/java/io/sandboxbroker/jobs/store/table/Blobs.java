package io.sandboxbroker.jobs.store.table;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import org.quartz.JobPersistenceException;
import software.amazon.awssdk.core.SdkBytes;

/**
 * Java serialization of Quartz objects into binary attributes, as Quartz's JDBC stores do. Classes
 * resolve through the scheduler's class loader so job data of application classes survives a restart.
 *
 * <p>Reading goes through an allow-list ({@link #ALLOWED}): Quartz's own types (triggers,
 * calendars, keys, job data maps) and the JDK values job data holds (strings, boxed numbers,
 * dates, time zones, collections). Anything else in a blob, e.g. a gadget chain written into the
 * table by someone with write access, is refused before it is instantiated: the read fails with
 * an exception that names the class, and nothing runs.
 */
public final class Blobs {
    /** {@link ObjectInputFilter.Config#createFilter} syntax; the final {@code !*} refuses the rest. */
    static final String ALLOWED = "maxdepth=32;maxrefs=100000;maxarray=100000;"
            + "java.lang.*;java.util.*;java.math.BigDecimal;java.math.BigInteger;sun.util.calendar.ZoneInfo;"
            + "org.quartz.**;!*";

    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(ALLOWED);

    private final ClassLoader loader;

    public Blobs(ClassLoader loader) {
        this.loader = loader;
    }

    public SdkBytes write(Serializable value) throws JobPersistenceException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new JobPersistenceException(
                    "cannot serialize " + value.getClass().getName(), e);
        }
        return SdkBytes.fromByteArray(bytes.toByteArray());
    }

    public <T> T read(SdkBytes bytes, Class<T> type) throws JobPersistenceException {
        RecordingFilter filter = new RecordingFilter();
        try (ObjectInputStream in = new LoaderObjectInputStream(bytes.asInputStream(), loader)) {
            in.setObjectInputFilter(filter);
            return type.cast(in.readObject());
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            if (filter.refused != null) {
                throw new JobPersistenceException(
                        "refused to deserialize a " + type.getSimpleName() + ": it contains " + filter.refused
                                + ", which is not on the allow-list of stored job classes",
                        e);
            }
            throw new JobPersistenceException("cannot deserialize a " + type.getSimpleName(), e);
        }
    }

    /** The allow-list, remembering what it refused so the failure can say. */
    private static final class RecordingFilter implements ObjectInputFilter {
        private String refused;

        @Override
        public Status checkInput(FilterInfo info) {
            Status status = FILTER.checkInput(info);
            if (status == Status.REJECTED && refused == null) {
                refused = info.serialClass() != null ? info.serialClass().getName() : "a stream beyond the size limits";
            }
            return status;
        }
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
