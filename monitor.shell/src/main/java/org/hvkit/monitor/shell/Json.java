package org.hvkit.monitor.shell;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import java.time.Duration;

/**
 * The {@code --json} form of command output: records and lists as indented JSON with the
 * records' component names as keys. Durations are written as ISO-8601 strings
 * ({@code PT1.5S}), enums by name.
 *
 * <p>Thread-safety: any thread; Gson instances are immutable and shared.
 */
final class Json {

    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .disableHtmlEscaping()
            .serializeSpecialFloatingPointValues()
            // java.time is not open to reflection: say how a Duration is written.
            .registerTypeAdapter(Duration.class,
                    (JsonSerializer<Duration>) (d, type, context) -> new JsonPrimitive(d.toString()))
            .create();

    private Json() {
    }

    /** The value as JSON, ending with a line separator. */
    static String render(Object value) {
        return GSON.toJson(value) + System.lineSeparator();
    }
}
