package org.hvkit.monitor.shell;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.hvkit.aio.AioContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code aio:iothread add|remove|set|list}: IOThreads through their factory configurations,
 * as QEMU's {@code object-add iothread}, {@code object-del} and {@code qom-set}. Each change
 * waits (bounded by {@link ContextWait#TIMEOUT}) until the context has appeared, gone or come
 * back, so the next {@code aio:contexts} shows it.
 *
 * <p>Thread-safety: Gogo may call the command from any session thread; it holds no state,
 * and waits in the caller's thread.
 */
@Component(service = IoThreadCommand.class)
@GogoCommand(scope = "aio", function = "iothread")
public final class IoThreadCommand {

    private static final String PREFIX = "aio:iothread: ";
    private static final String ACTIONS = "add, remove, set or list";
    // Set by FileInstall on the configurations it made from a file in etc/.
    private static final String FILEINSTALL_FILE = "felix.fileinstall.filename";

    private final ContextRegistry contexts;
    private final IoThreadConfigs configs;

    @Activate
    public IoThreadCommand(@Reference ContextRegistry contexts, @Reference IoThreadConfigs configs) {
        this.contexts = contexts;
        this.configs = configs;
    }

    /** Without an action there is nothing to do: say which there are. */
    @Descriptor("add, remove, change or list IOThreads; name an action")
    public String iothread() {
        return PREFIX + "name an action: " + ACTIONS;
    }

    /**
     * Runs one action.
     *
     * @return one line saying what happened, or the table of {@code list}
     * @throws InterruptedException if the session is interrupted while waiting
     */
    @Descriptor("add <name> [key=value ...] | remove <name> | set <name> key=value ... | list [--json]: IOThreads"
            + " through their configurations (keys: scheduler=sliced|linear, poll.max.ns, poll.grow,"
            + " poll.shrink, aio.max.batch); changes last until hvkit restarts: they are not written to etc/")
    public String iothread(@Descriptor("add, remove, set or list") String action,
            @Descriptor("the IOThread's name, then key=value pairs for add and set") String... args)
            throws InterruptedException {
        List<String> words = Arrays.asList(args);
        try {
            switch (action) {
                case "add":
                    return add(words);
                case "remove":
                    return remove(words);
                case "set":
                    return set(words);
                case "list":
                    return list(words);
                default:
                    return PREFIX + "unknown action '" + action + "'; choose " + ACTIONS;
            }
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            return PREFIX + e.getMessage();
        }
    }

    private String add(List<String> words) throws InterruptedException {
        String name = IoThreadSettings.newName(nameIn(words, "add"));
        Map<String, Object> settings = IoThreadSettings.parse(words.subList(1, words.size()));
        if (configs.named(name).isPresent() || ContextWait.find(contexts, name).isPresent()) {
            throw new IllegalArgumentException("'" + name + "' exists already; aio:contexts lists the contexts");
        }
        configs.create(name, settings);
        String with = settings.isEmpty() ? "" : " with " + pairs(settings);
        return ContextWait.until(contexts, name, c -> true)
                .map(c -> name + ": IOThread added" + with)
                .orElseGet(() -> PREFIX + name + ": configuration added, but its context did not start within "
                        + ContextWait.TIMEOUT.toSeconds() + " s; see the log");
    }

    private String remove(List<String> words) throws InterruptedException {
        String name = nameIn(words, "remove");
        if (words.size() > 1) {
            throw new IllegalArgumentException("remove takes only a name, not " + words.subList(1, words.size()));
        }
        IoThreadConfigs.delete(configuration(name));
        return ContextWait.gone(contexts, name)
                ? name + ": IOThread removed"
                : PREFIX + name + ": configuration deleted, but its context was still there after "
                        + ContextWait.TIMEOUT.toSeconds() + " s; see the log";
    }

    private String set(List<String> words) throws InterruptedException {
        String name = nameIn(words, "set");
        Configuration configuration = configuration(name);
        if (words.size() < 2) {
            throw new IllegalArgumentException("set needs key=value pairs; keys: "
                    + String.join(", ", IoThreadSettings.KEYS));
        }
        Map<String, Object> settings = IoThreadSettings.parse(words.subList(1, words.size()));
        Map<String, Object> was = new LinkedHashMap<>();
        settings.forEach((key, value) -> was.put(key, IoThreadConfigs.valueOf(configuration, key)));
        String changes = settings.keySet().stream()
                .filter(key -> !Objects.equals(text(was.get(key)), text(settings.get(key))))
                .map(key -> key + " " + (was.get(key) == null ? "default" : text(was.get(key)))
                        + " -> " + text(settings.get(key)))
                .collect(Collectors.joining(", "));
        if (changes.isEmpty()) {
            return name + ": no change; already " + pairs(settings);
        }
        AioContext old = ContextWait.find(contexts, name).orElse(null);
        IoThreadConfigs.update(configuration, settings);
        return ContextWait.until(contexts, name, c -> c != old)
                .map(c -> name + ": " + changes)
                .orElseGet(() -> PREFIX + name + ": configuration updated, but its context was not back within "
                        + ContextWait.TIMEOUT.toSeconds() + " s; see the log");
    }

    private String list(List<String> words) {
        boolean json = words.size() == 1 && (words.get(0).equals("--json") || words.get(0).equals("-j"));
        if (!words.isEmpty() && !json) {
            throw new IllegalArgumentException("list takes only --json, not " + words);
        }
        List<IoThreadRow> rows = new ArrayList<>();
        for (Configuration configuration : configs.all()) {
            String name = IoThreadConfigs.nameOf(configuration);
            Map<String, String> settings = new LinkedHashMap<>();
            for (String key : IoThreadSettings.KEYS) {
                Object value = IoThreadConfigs.valueOf(configuration, key);
                if (value != null) {
                    settings.put(key, value.toString());
                }
            }
            rows.add(new IoThreadRow(name, ContextWait.find(contexts, name).isPresent(), settings,
                    fileName(IoThreadConfigs.valueOf(configuration, FILEINSTALL_FILE))));
        }
        return json ? Json.render(rows) : table(rows);
    }

    /** One IOThread configuration as {@code list --json} gives it; unset keys are absent. */
    record IoThreadRow(String name, boolean running, Map<String, String> settings, String file) {
    }

    private static String table(List<IoThreadRow> rows) {
        Table table = new Table().left("NAME").left("CONTEXT");
        for (String key : IoThreadSettings.KEYS) {
            String header = key.toUpperCase(Locale.ROOT);
            if (IoThreadSettings.SCHEDULER.equals(key)) {
                table.left(header);
            } else {
                table.right(header);
            }
        }
        table.left("FILE");
        for (IoThreadRow r : rows) {
            Object[] row = new Object[3 + IoThreadSettings.KEYS.size()];
            row[0] = r.name();
            row[1] = r.running() ? "running" : "not running";
            for (int i = 0; i < IoThreadSettings.KEYS.size(); i++) {
                row[2 + i] = r.settings().get(IoThreadSettings.KEYS.get(i));
            }
            row[row.length - 1] = r.file();
            table.row(row);
        }
        return table.render();
    }

    /** The configuration of the IOThread {@code name}, or a sentence saying why there is none. */
    private Configuration configuration(String name) {
        return configs.named(name).orElseThrow(() -> new IllegalArgumentException(noIoThread(name)));
    }

    private String noIoThread(String name) {
        if (AioContext.MAIN.equals(name)) {
            return "the main context is not an IOThread and cannot be changed";
        }
        List<String> names = configs.all().stream().map(IoThreadConfigs::nameOf).collect(Collectors.toList());
        return "no IOThread '" + name + "'; "
                + (names.isEmpty() ? "there are none" : "IOThreads: " + String.join(", ", names));
    }

    private static String nameIn(List<String> words, String action) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException(action + " needs the IOThread's name");
        }
        return words.get(0);
    }

    private static String pairs(Map<String, Object> settings) {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString().trim();
    }

    // FileInstall records the file as a URL (file:/.../etc/x.cfg); the name is what a user looks for.
    private static String fileName(Object url) {
        if (url == null) {
            return null;
        }
        String text = url.toString();
        return text.substring(text.lastIndexOf('/') + 1);
    }
}
