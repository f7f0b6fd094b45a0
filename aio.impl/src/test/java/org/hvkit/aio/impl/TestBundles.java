package org.hvkit.aio.impl;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/** Bundles for tests that need only what aio.impl asks of its own bundle. */
final class TestBundles {

    private TestBundles() {
    }

    /** A bundle that answers only its raw headers, symbolic name and version. */
    static Bundle withHeaders(Dictionary<String, String> headers) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaders" -> headers;
                    case "getSymbolicName" -> "org.hvkit.aio.impl";
                    case "getVersion" -> Version.parseVersion("0.1.0.variant");
                    case "toString" -> "test bundle";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A bundle whose build names {@code scheduler} as its default. */
    static Bundle defaulting(String scheduler) {
        Hashtable<String, String> headers = new Hashtable<>();
        headers.put(Schedulers.DEFAULT_HEADER, scheduler);
        return withHeaders(headers);
    }
}
