package org.hvkit.it;

import java.util.Dictionary;
import java.util.Hashtable;

/** Configuration properties for ConfigurationAdmin, written as key, value, key, value... */
final class Dictionaries {

    private Dictionaries() {
    }

    /** The pairs as a dictionary; keys are strings. */
    static Dictionary<String, Object> of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }
}
