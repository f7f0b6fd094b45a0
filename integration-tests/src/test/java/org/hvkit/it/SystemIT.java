package org.hvkit.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The distribution's bundles resolve and start, and their components come up. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SystemIT {

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private CommandProcessor commandProcessor;

    @Configuration
    public Option[] config() {
        return HvkitSystem.options();
    }

    @Test
    public void shouldStartEveryBundle() {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (!isFragment(bundle) && bundle.getState() != Bundle.ACTIVE) {
                notActive.add(bundle.getSymbolicName() + " in state " + bundle.getState());
            }
        }
        assertEquals(List.of(), notActive);
    }

    @Test
    public void shouldInstallEveryBundleOfTheDistribution() {
        List<String> locations = Arrays.stream(context.getBundles()).map(Bundle::getLocation).toList();
        for (Path jar : HvkitSystem.bundlesOfLevel(1)) {
            assertTrue(jar + " is not installed", locations.contains(jar.toUri().toString()));
        }
        assertNotNull(bundleNamed("org.hvkit.aio.api"));
        assertNotNull(bundleNamed("org.hvkit.aio.impl"));
    }

    @Test
    public void shouldSatisfyEveryComponent() {
        Map<String, Integer> states = new TreeMap<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            assertTrue(description.name + " is disabled", scr.isComponentEnabled(description));
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                states.put(description.name + "#" + configuration.id, configuration.state);
            }
        }
        assertTrue("a component of aio.impl runs",
                states.keySet().stream().anyMatch(name -> name.startsWith("org.hvkit.aio.impl.")));
        states.values().removeIf(state -> state == ComponentConfigurationDTO.SATISFIED
                || state == ComponentConfigurationDTO.ACTIVE);
        assertEquals("components neither satisfied nor active", Map.of(), states);
    }

    @Test
    public void shouldListTheSystemInTheShell() throws Exception {
        String bundles = new Gogo(commandProcessor).run("lb -s");

        assertTrue(bundles, bundles.lines().anyMatch(
                line -> line.contains("|Active ") && line.contains("org.hvkit.aio.impl (")));
    }

    @Test
    public void shouldListTheComponentsInTheShell() throws Exception {
        String components = new Gogo(commandProcessor).run("scr:list");

        assertTrue(components, components.contains("(org.hvkit.aio.impl:"));
        assertFalse(components, components.contains("State:UNSATISFIED"));
    }

    private Bundle bundleNamed(String symbolicName) {
        return Arrays.stream(context.getBundles())
                .filter(bundle -> symbolicName.equals(bundle.getSymbolicName()))
                .findFirst()
                .orElse(null);
    }

    private static boolean isFragment(Bundle bundle) {
        return (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }
}
