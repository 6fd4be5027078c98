package io.sandboxbroker.jobs.store.table;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import org.quartz.JobPersistenceException;
import software.amazon.awssdk.core.SdkBytes;

/**
 * Java serialization of Quartz objects into binary attributes, as Quartz's JDBC stores do. Classes
 * resolve through the scheduler's class loader so job data of application classes survives a restart.
 */
public final class Blobs {
    private final ClassLoader loader;

    public Blobs(ClassLoader loader) {
        this.loader = loader;
    }

    public SdkBytes write(Serializable value) throws JobPersistenceException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new JobPersistenceException("cannot serialize " + value.getClass().getName(), e);
        }
        return SdkBytes.fromByteArray(bytes.toByteArray());
    }

    public <T> T read(SdkBytes bytes, Class<T> type) throws JobPersistenceException {
        try (ObjectInputStream in = new LoaderObjectInputStream(bytes.asInputStream(), loader)) {
            return type.cast(in.readObject());
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new JobPersistenceException("cannot deserialize a " + type.getSimpleName(), e);
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
