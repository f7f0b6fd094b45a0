package org.hvkit.block.virtio.component;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hvkit.aio.AioContext;
import org.hvkit.block.virtio.api.VirtioDevice;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One virtio-blk device per factory configuration of PID {@value VirtioBlkConfiguration#PID}.
 * Activation checks the whole configuration first, so a bad one fails with one clear message
 * and leaves nothing behind: the id must be new, the sizes valid, the image file present and
 * fitting, and every IOThread in the mapping known, that is running or configured (an
 * IOThread configured but not yet started is waited for). The device itself runs in a
 * {@link BlkDeviceHost}, which starts it once those contexts exist and moves its queues
 * across a context's replacement (hot swap). A configuration change re-creates the
 * component, as for IOThreads.
 *
 * <p>Thread-safety: DS serialises activation and deactivation; the context bind and unbind
 * methods may come from any thread at any time after construction, and the host serialises
 * them.
 */
@Component(configurationPid = VirtioBlkConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = VirtioBlkConfiguration.class, factory = true)
public final class VirtioBlkComponent {

    /** The IOThread factory PID, whose configurations name the contexts that will exist. */
    private static final String IOTHREAD_PID = "org.hvkit.aio.iothread";

    private final BlkDeviceHost host;

    @Activate
    public VirtioBlkComponent(BundleContext bundleContext, VirtioBlkConfiguration config,
            @Reference ConfigurationAdmin configurationAdmin) {
        DeviceSettings settings = DeviceSettings.from(config);
        requireNewId(bundleContext, settings.id());
        Set<String> known = knownContexts(bundleContext, configurationAdmin);
        for (String name : settings.mapping()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("virtio-blk '" + settings.id() + "': iothread.vq.mapping names '"
                        + name + "', which is no IOThread; known: " + String.join(", ", known));
            }
        }
        host = new BlkDeviceHost(bundleContext, settings);
    }

    /** DS: every context, as it comes. */
    @Reference(service = AioContext.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindContext(AioContext context, Map<String, Object> properties) {
        Object name = properties.get(AioContext.CONTEXT_NAME);
        if (name instanceof String n) {
            host.contextAdded(n, context);
        }
    }

    /** DS: a context is going away; it is still open while this runs. */
    void unbindContext(AioContext context, Map<String, Object> properties) {
        Object name = properties.get(AioContext.CONTEXT_NAME);
        if (name instanceof String n) {
            host.contextRemoved(n, context);
        }
    }

    @Deactivate
    void deactivate() {
        host.close();
    }

    private static void requireNewId(BundleContext bundleContext, String id) {
        try {
            if (!bundleContext.getServiceReferences(VirtioDevice.class, "(" + VirtioDevice.ID + "=" + escape(id) + ")")
                    .isEmpty()) {
                throw new IllegalArgumentException("virtio-blk '" + id + "': a device with this id exists already");
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("virtio-blk '" + id + "': the id cannot be used in a filter", e);
        }
    }

    /** Running contexts and configured IOThreads, sorted for the error message. */
    private static Set<String> knownContexts(BundleContext bundleContext, ConfigurationAdmin configurationAdmin) {
        Set<String> known = new TreeSet<>();
        known.add(AioContext.MAIN);
        try {
            for (ServiceReference<AioContext> ref : bundleContext.getServiceReferences(AioContext.class, null)) {
                if (ref.getProperty(AioContext.CONTEXT_NAME) instanceof String name) {
                    known.add(name);
                }
            }
            Configuration[] configs = configurationAdmin.listConfigurations(
                    "(service.factoryPid=" + IOTHREAD_PID + ")");
            for (Configuration c : configs == null ? new Configuration[0] : configs) {
                if (c.getProperties() != null && c.getProperties().get("name") instanceof String name) {
                    known.add(name.trim());
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot list the IOThread configurations: " + e.getMessage(), e);
        }
        return known;
    }

    /** RFC 1960 filter escaping of a value. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }
}
