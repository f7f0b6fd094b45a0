package org.hvkit.block.virtio.component;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds {@link VirtioBlkConfiguration} instances for tests, as DS would from configuration
 * properties: each method returns its override if there is one (keyed by method name, e.g.
 * {@code num_queues}), otherwise its default value ({@code null} for {@code id}, which has none).
 */
final class Configurations {

    private Configurations() {
    }

    /**
     * @param overrides values by method name; a value may be null
     * @return the configuration
     * @throws IllegalArgumentException if a key names no method or a value has the wrong type,
     *     so a typo in a test fails instead of silently testing the default
     */
    static VirtioBlkConfiguration of(Map<String, ?> overrides) {
        Map<String, Method> methods = Arrays.stream(VirtioBlkConfiguration.class.getDeclaredMethods())
                .collect(Collectors.toMap(Method::getName, m -> m));
        Map<String, Object> values = new HashMap<>();
        for (Method method : methods.values()) {
            values.put(method.getName(), method.getDefaultValue());
        }
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            Method method = methods.get(e.getKey());
            if (method == null) {
                throw new IllegalArgumentException("no configuration method '" + e.getKey() + "'; choose "
                        + methods.keySet());
            }
            Object value = e.getValue();
            if (value != null && !boxed(method.getReturnType()).isInstance(value)) {
                throw new IllegalArgumentException(e.getKey() + " is a " + method.getReturnType().getSimpleName()
                        + ", not a " + value.getClass().getSimpleName());
            }
            if (value == null && method.getReturnType().isPrimitive()) {
                throw new IllegalArgumentException(e.getKey() + " is a primitive and cannot be null");
            }
            values.put(e.getKey(), value);
        }
        return (VirtioBlkConfiguration) Proxy.newProxyInstance(VirtioBlkConfiguration.class.getClassLoader(),
                new Class<?>[] {VirtioBlkConfiguration.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (methods.containsKey(name) && method.getParameterCount() == 0) {
                        return copy(values.get(name));
                    }
                    return switch (name) {
                        case "annotationType" -> VirtioBlkConfiguration.class;
                        case "toString" -> "VirtioBlkConfiguration" + values;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.toString());
                    };
                });
    }

    /** The configuration with only the defaults and the given id. */
    static VirtioBlkConfiguration withId(String id) {
        return of(Map.of("id", id));
    }

    /** Arrays are copied per call, as an annotation's are. */
    private static Object copy(Object value) {
        if (value != null && value.getClass().isArray()) {
            int length = Array.getLength(value);
            Object copy = Array.newInstance(value.getClass().getComponentType(), length);
            System.arraycopy(value, 0, copy, 0, length);
            return copy;
        }
        return value;
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        Map<Class<?>, Class<?>> boxes = Map.of(int.class, Integer.class, boolean.class, Boolean.class,
                long.class, Long.class);
        Class<?> box = boxes.get(type);
        if (box == null) {
            throw new IllegalArgumentException("unsupported primitive " + type + " among " + boxes.keySet());
        }
        return box;
    }
}
