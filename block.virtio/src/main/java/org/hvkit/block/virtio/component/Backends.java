package org.hvkit.block.virtio.component;

import java.io.UncheckedIOException;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.backend.FileBackend;
import org.hvkit.block.virtio.backend.NullBackend;
import org.hvkit.block.virtio.backend.RamBackend;

/** Opens the backend a device's settings name. */
final class Backends {

    private Backends() {
    }

    /**
     * Opens the backend. Thread-safety: any thread.
     *
     * @param settings the checked settings
     * @param context the context a file backend is opened on (its views serve the others)
     * @return the backend; the caller closes it if it is {@link AutoCloseable}
     * @throws IllegalArgumentException naming the device, if the file changed since the
     *     settings were checked
     * @throws java.io.UncheckedIOException if the file cannot be opened
     */
    static BlockBackend open(DeviceSettings settings, AioContext context) {
        try {
            return switch (settings.backend()) {
                case NULL -> new NullBackend(settings.capacity(), settings.readOnly());
                case RAM -> new RamBackend(settings.capacity(), settings.readOnly());
                case FILE -> openFile(settings, context);
            };
        } catch (IllegalArgumentException e) {
            // Thrown when a device starts, far from its configuration: say which device.
            throw new IllegalArgumentException("virtio-blk '" + settings.id() + "': " + e.getMessage(), e);
        }
    }

    private static BlockBackend openFile(DeviceSettings settings, AioContext context) {
        FileBackend file = FileBackend.open(context, settings.path(), settings.readOnly());
        if (file.capacity() != settings.capacity()) {
            IllegalArgumentException mismatch = new IllegalArgumentException("capacity mismatch: "
                    + settings.path() + " now has " + file.capacity() + " bytes, " + settings.capacity()
                    + " were configured");
            try {
                file.close();
            } catch (UncheckedIOException e) {
                mismatch.addSuppressed(e);
            }
            throw mismatch;
        }
        return file;
    }

    /** A one-line description for the monitor, e.g. {@code file /srv/disk.img}. */
    static String describe(DeviceSettings settings) {
        return settings.backend() == BackendKind.FILE
                ? "file " + settings.path()
                : settings.backend().configName();
    }
}
