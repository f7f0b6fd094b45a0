package org.hvkit.it;

import static org.junit.Assert.assertNotNull;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The failures SCR records when a component's activation throws, as ServiceComponentRuntime shows them. */
final class ActivationFailures {

    /** The device component of block.virtio. */
    static final String DEVICE_COMPONENT = "org.hvkit.block.virtio.component.VirtioBlkComponent";
    /** The IOThread component of aio.impl. */
    static final String IOTHREAD_COMPONENT = "org.hvkit.aio.impl.IoThreadComponent";

    private ActivationFailures() {
    }

    /**
     * SCR's failure text (a stack trace) for the configuration of {@code component} whose
     * property {@code key} is {@code value}, waiting at most {@link Services#TIMEOUT_MS}.
     */
    static String await(ServiceComponentRuntime scr, Bundle bundle, String component, String key, String value)
            throws InterruptedException {
        long deadline = System.nanoTime() + Services.TIMEOUT_MS * 1_000_000;
        while (System.nanoTime() < deadline) {
            ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(bundle, component);
            assertNotNull("no component " + component, description);
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(description)) {
                if (value.equals(c.properties.get(key)) && c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    return c.failure;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(component + " with " + key + "=" + value + " did not fail activation within "
                + Services.TIMEOUT_MS + " ms");
    }

    /** The failure of the device configuration with this id. */
    static String ofDevice(ServiceComponentRuntime scr, BundleContext context, String id) throws InterruptedException {
        return await(scr, Bundles.installed(context, "org.hvkit.block.virtio"), DEVICE_COMPONENT, "id", id);
    }

    /**
     * The message of the component's own exception in SCR's failure text: its first cause
     * is what the constructor threw (wrapped by reflection).
     */
    static String rootMessage(String failure) {
        String cause = failure.lines().filter(l -> l.startsWith("Caused by: ")).findFirst()
                .map(l -> l.substring("Caused by: ".length()))
                .orElse(failure.lines().findFirst().orElse(""));
        int colon = cause.indexOf(": ");
        return colon < 0 ? cause : cause.substring(colon + 2);
    }
}
