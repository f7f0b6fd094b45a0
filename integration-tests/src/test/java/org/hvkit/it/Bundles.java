package org.hvkit.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/** Installed bundles and bundle jars, for the tests that update the implementation. */
final class Bundles {

    private Bundles() {
    }

    /** The installed bundle with this symbolic name. */
    static Bundle installed(BundleContext context, String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }

    /** The jar among {@code jars} whose Bundle-SymbolicName is {@code symbolicName}. */
    static Path jarOf(String symbolicName, List<Path> jars) throws IOException {
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                String bsn = file.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
                if (bsn != null && bsn.split(";")[0].trim().equals(symbolicName)) {
                    return jar;
                }
            }
        }
        throw new AssertionError("no jar of " + symbolicName + " in " + jars);
    }

    /** The Bundle-Version of a jar. */
    static Version versionOf(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return Version.parseVersion(file.getManifest().getMainAttributes().getValue(Constants.BUNDLE_VERSION));
        }
    }
}
