package org.hvkit.block.virtio.component;

import aQute.bnd.annotation.service.ServiceCapability;
import java.io.IOException;
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
import org.hvkit.block.virtio.vhost.VhostUserServer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Keeps one configured device running across context swaps: it builds the device and
 * registers its {@link VirtioDevice} service once every context its mapping names is there.
 * When a mapped context goes, the queues it served are detached from it (their requests in
 * flight drain there, bounded by the configured {@code drain.timeout.ms}) and wait; when a context of that name
 * comes again they are attached to it and resume (DESIGN §6). The device and its service stay
 * throughout, so the guest keeps its state. The backend is opened at the first start and kept
 * until {@link #close()}.
 * The guest memory starts empty: the guest that attaches (the in-process driver model, or a
 * vhost-user front-end) brings its own. A device with {@code transport=vhost-user} is exported
 * on its socket from its start to its stop; if the socket cannot be bound at start, the
 * device is not started and one error line says why.
 *
 * <p>The service is registered by hand rather than by DS, which cannot express "all of these
 * named services, whichever order they come in"; the annotation declares it for resolvers.
 *
 * <p>Thread-safety: every method may be called from any thread and is serialised by this
 * object's lock; detaching queues and stopping a device wait for contexts (bounded by
 * {@code drain.timeout.ms} per queue and the device's reset timeout), so none of them may be
 * called from a device context thread.
 */
@ServiceCapability(VirtioDevice.class)
final class BlkDeviceHost implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BlkDeviceHost.class.getName());

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
    /** Guarded by this: the vhost-user export of the running device, if its transport is vhost-user. */
    private VhostUserServer export;
    /** Guarded by this. */
    private boolean closed;

    BlkDeviceHost(BundleContext bundleContext, DeviceSettings settings) {
        this.bundleContext = bundleContext;
        this.settings = settings;
    }

    /**
     * A context service appeared: start the device if it was the last one missing, or attach
     * the queues mapped to its name if the device runs (they wait for it, or, if a context of
     * that name is still there, they are moved from it).
     */
    synchronized void contextAdded(String name, AioContext context) {
        AioContext previous = contexts.put(name, context);
        if (closed) {
            return;
        }
        if (running == null) {
            if (missingContexts().isEmpty()) {
                start();
            }
        } else if (settings.mapping().contains(name)) {
            if (previous != null && previous != context) {
                // The successor came before its predecessor went: move the queues now, while
                // the predecessor is still registered, so still open and polled.
                running.device().detachContext(name, settings.drainTimeout());
            }
            running.device().attachContext(name, context);
        }
    }

    /**
     * A context service is going away (still open and polled): detach the queues mapped to it,
     * which drain there first; the device stays registered.
     */
    synchronized void contextRemoved(String name, AioContext context) {
        if (contexts.get(name) != context) {
            return;
        }
        contexts.remove(name);
        if (running != null && settings.mapping().contains(name)) {
            running.device().detachContext(name, settings.drainTimeout());
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
                settings.queueSize(), settings.mapping(), queueContexts);
        if (settings.transport() == TransportKind.VHOST_USER) {
            try {
                export = VhostUserServer.listen(settings.id(), settings.socket(), device);
            } catch (IOException | RuntimeException e) {
                device.close();
                LOG.log(System.Logger.Level.ERROR, "virtio-blk ''{0}'': cannot listen on {1}: {2}", settings.id(),
                        settings.socket(), e.toString());
                return;
            }
        }
        running = new BlkDeviceService(settings, device);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(VirtioDevice.ID, settings.id());
        properties.put(VirtioDevice.TYPE, BlkDeviceService.TYPE_NAME);
        registration = bundleContext.registerService(VirtioDevice.class, running, properties);
    }

    private void stop() {
        if (export != null) {
            // First the front-end's session ends (its queues stop, the device resets) and the
            // socket goes: once the service is gone, nothing of the device is left.
            export.close();
            export = null;
        }
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
