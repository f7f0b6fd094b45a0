package org.hvkit.block.virtio.component;

import aQute.bnd.annotation.service.ServiceCapability;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.api.VirtioDevice;
import org.hvkit.block.virtio.backend.BlockBackend;
import org.hvkit.block.virtio.backend.FileBackend;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.hvkit.block.virtio.blk.VirtioBlkDevice;
import org.hvkit.block.virtio.memory.GuestMemory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Keeps one configured device running while the contexts its mapping names exist: it builds
 * the device and registers its {@link VirtioDevice} service once every one of them is there,
 * and takes both down when one of them goes. The backend is opened at the first start and
 * kept until {@link #close()}, so a RAM disk keeps its contents while its device is rebuilt.
 * The guest memory starts empty: the guest that attaches (the in-process driver model, or a
 * vhost-user front-end) brings its own.
 *
 * <p>The service is registered by hand rather than by DS, which cannot express "all of these
 * named services, whichever order they come in"; the annotation declares it for resolvers.
 *
 * <p>Thread-safety: every method may be called from any thread and is serialised by this
 * object's lock; stopping a device waits for its contexts (bounded by the device's reset
 * timeout), so none of them may be called from a device context thread.
 */
@ServiceCapability(VirtioDevice.class)
final class BlkDeviceHost implements AutoCloseable {

    private final BundleContext bundleContext;
    private final DeviceSettings settings;
    /** Guarded by this: the contexts present, by name. */
    private final Map<String, AioContext> contexts = new HashMap<>();
    /** Guarded by this: opened at the first start. */
    private BlockBackend backend;
    /** Guarded by this: non-null while the device runs. */
    private BlkDeviceService running;
    /** Guarded by this. */
    private ServiceRegistration<VirtioDevice> registration;
    /** Guarded by this. */
    private boolean closed;

    BlkDeviceHost(BundleContext bundleContext, DeviceSettings settings) {
        this.bundleContext = bundleContext;
        this.settings = settings;
    }

    /** A context service appeared: start the device if it was the last one missing. */
    synchronized void contextAdded(String name, AioContext context) {
        contexts.put(name, context);
        if (!closed && running == null && missingContexts().isEmpty()) {
            start();
        }
    }

    /** A context service is going away (still open): stop the device if it uses it. */
    synchronized void contextRemoved(String name, AioContext context) {
        if (contexts.get(name) != context) {
            return;
        }
        contexts.remove(name);
        if (running != null && settings.mapping().contains(name)) {
            stop();
        }
    }

    /** The mapped names with no context yet. */
    synchronized List<String> missingContexts() {
        List<String> missing = new ArrayList<>();
        for (String name : settings.mapping()) {
            if (!contexts.containsKey(name)) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** The running device's service, or null. */
    synchronized VirtioDevice service() {
        return running;
    }

    private void start() {
        List<AioContext> queueContexts = new ArrayList<>(settings.mapping().size());
        for (String name : settings.mapping()) {
            queueContexts.add(contexts.get(name));
        }
        if (backend == null) {
            backend = Backends.open(settings, queueContexts.get(0));
        }
        VirtioBlkConfig config = VirtioBlkConfig.defaults(settings.capacity(), settings.numQueues(),
                settings.queueSize());
        VirtioBlkDevice device = new VirtioBlkDevice(GuestMemory.of(List.of()), config, backend, settings.serial(),
                settings.queueSize(), queueContexts);
        running = new BlkDeviceService(settings, device);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(VirtioDevice.ID, settings.id());
        properties.put(VirtioDevice.TYPE, BlkDeviceService.TYPE_NAME);
        registration = bundleContext.registerService(VirtioDevice.class, running, properties);
    }

    private void stop() {
        registration.unregister();
        registration = null;
        VirtioBlkDevice device = running.device();
        running = null;
        device.close();
    }

    /** Stops the device and closes the backend. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (running != null) {
                stop();
            }
        } finally {
            if (backend instanceof FileBackend file) {
                file.close();
            }
            backend = null;
        }
    }
}
