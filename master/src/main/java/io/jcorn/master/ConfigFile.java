package io.jcorn.master;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config file: {@code key = value} lines, as a Java {@code .properties} file reads, with
 * Gunicorn's setting names as keys ({@code workers}, {@code worker_class}, {@code bind}; '-' and
 * '_' alike). {@code #} or {@code !} starts a comment line. A setting that takes several values
 * takes them comma-separated or as repeated keys. An unknown key or a bad value is an error naming
 * the file and the line.
 *
 * <p>Read by hand rather than with {@link java.util.Properties}, which forgets line numbers and
 * keeps only the last of repeated keys.
 */
final class ConfigFile {
    private ConfigFile() {}

    /** Reads {@code path} against JcornCommand's {@code spec}. */
    static Settings.Layer read(Path path, CommandSpec spec) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw new Settings.Invalid("--config " + path + ": cannot be read: " + e.getMessage());
        }
        return parse(path.toString(), lines, spec);
    }

    static Settings.Layer parse(String name, List<String> lines, CommandSpec spec) {
        Map<String, ArgSpec> known = new LinkedHashMap<>();
        for (ArgSpec arg : Settings.settings(spec)) {
            known.put(Settings.key(arg), arg);
            String gunicorn = Settings.gunicornName(arg);
            if (gunicorn != null) known.putIfAbsent(gunicorn, arg);
            if (arg instanceof OptionSpec option) {
                for (String alias : option.names()) known.putIfAbsent(Settings.normalize(alias), arg);
            }
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) continue;
            String where = name + ":" + (i + 1);
            int eq = line.indexOf('=');
            if (eq < 0) throw new Settings.Invalid(where + ": want key = value, not '" + line + "'");
            String given = line.substring(0, eq).strip();
            ArgSpec arg = known.get(Settings.normalize(given));
            if (arg == null || Settings.key(arg).equals("config")) {
                throw new Settings.Invalid(where + ": unknown setting '" + given + "'");
            }
            String key = Settings.key(arg);
            List<String> more = split(arg, line.substring(eq + 1).strip(), where);
            if (values.containsKey(key) && !arg.isMultiValue()) {
                throw new Settings.Invalid(where + ": '" + given + "' is already set on line "
                        + origins.get(key).substring(name.length() + 1));
            }
            check(spec, key, more, where);
            values.computeIfAbsent(key, k -> new ArrayList<>()).addAll(more);
            origins.putIfAbsent(key, where);
        }
        return new Settings.Layer(values, origins);
    }

    private static List<String> split(ArgSpec arg, String value, String where) {
        if (arg.arity().max() == 0) {
            if (!value.equals("true") && !value.equals("false")) {
                throw new Settings.Invalid(where + ": " + Settings.key(arg) + " wants true or false, not '" + value + "'");
            }
            return List.of(value);
        }
        if (!arg.isMultiValue()) return List.of(value);
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) if (!item.isBlank()) items.add(item.strip());
        return items;
    }

    // The value goes through picocli's own conversion, as it would on the command line.
    private static void check(CommandSpec spec, String key, List<String> values, String where) {
        List<String> args = new ArrayList<>(Settings.flags(spec, key, values));
        if (!key.equals("app")) args.add("jcorn.NoApp");
        try {
            new CommandLine(new JcornCommand()).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new Settings.Invalid(where + ": " + key + ": " + e.getMessage());
        }
    }
}
