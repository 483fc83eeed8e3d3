package io.jcorn.master;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each setting comes from, in Gunicorn's order of precedence: the command line, then
 * {@code JCORN_CMD_ARGS}, then the config file, then the option's default.
 *
 * <p>Every setting is one picocli option of {@link JcornCommand}; its config file key is its long
 * name with underscores ({@code --worker-class}: {@code worker_class}). The lower layers are turned
 * back into command-line arguments placed before the real ones, so that one parse through the same
 * spec converts and checks every value, wherever it came from.
 */
final class Settings {
    static final String ENV = "JCORN_CMD_ARGS";
    static final Path DEFAULT_FILE = Path.of("jcorn.conf");
    static final String COMMAND_LINE = "command line";
    private static final String DEFAULT = "default";
    // Stands in for APP when a layer does not name it, so that a layer parses on its own.
    private static final String NO_APP = "jcorn.NoApp";

    private final List<String> args;
    private final Map<String, String> sources;

    private Settings(List<String> args, Map<String, String> sources) {
        this.args = args;
        this.sources = sources;
    }

    /** Thrown for a config file or JCORN_CMD_ARGS that cannot be used; the message is one line. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    /**
     * Reads the layers under the command line {@code argv}.
     *
     * @param envArgs the value of {@code JCORN_CMD_ARGS}, or null
     * @throws CommandLine.ParameterException for a bad command line
     * @throws Invalid for a bad JCORN_CMD_ARGS or config file
     */
    static Settings resolve(List<String> argv, String envArgs) {
        Layer command = Layer.parse(argv, COMMAND_LINE);
        Layer env;
        try {
            env = envArgs == null || envArgs.isBlank() ? Layer.EMPTY : Layer.parse(words(envArgs), ENV);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            throw new Invalid(ENV + ": " + e.getMessage());
        }
        List<String> args = new ArrayList<>();
        Layer file = Layer.EMPTY;
        Path path = configFile(command, env);
        if (path != null) file = ConfigFile.read(path, spec());
        // ./jcorn.conf found by itself shows in --print-config as config's default value
        if (path == DEFAULT_FILE) args.add("--config=" + DEFAULT_FILE);
        Map<String, String> sources = new LinkedHashMap<>();
        file.addUnder(List.of(env, command), args, sources);
        env.addUnder(List.of(command), args, sources);
        args.addAll(argv);
        command.addUnder(List.of(), new ArrayList<>(), sources);
        return new Settings(args, sources);
    }

    /** -c/--config on the command line, else in JCORN_CMD_ARGS, else ./jcorn.conf when there is one. */
    private static Path configFile(Layer command, Layer env) {
        for (Layer layer : List.of(command, env)) {
            List<String> given = layer.values.get("config");
            if (given == null) continue;
            Path path = Path.of(given.getFirst());
            if (!Files.isRegularFile(path)) throw new Invalid("--config " + path + ": no such file");
            return path;
        }
        return Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null;
    }

    /** The arguments to parse: the lower layers' settings as flags, then the command line. */
    List<String> args() {
        return args;
    }

    /** Where {@code key}'s value comes from: command line, JCORN_CMD_ARGS, FILE:LINE or default. */
    String source(String key) {
        return sources.getOrDefault(key, DEFAULT);
    }

    /**
     * The end of an error line about a value: where the first option the message names was set,
     * if not on the command line (" (from jcorn.conf:3)"), else a pointer to --help.
     */
    String whereFrom(String message, CommandSpec spec) {
        java.util.regex.Matcher flag = java.util.regex.Pattern.compile("--[\\w-]+").matcher(message);
        OptionSpec option = flag.find() ? spec.findOption(flag.group()) : null;
        String source = option == null ? DEFAULT : source(key(option));
        return source.equals(DEFAULT) || source.equals(COMMAND_LINE) ? " (see jcorn --help)" : " (from " + source + ")";
    }

    /** --print-config: each effective setting, {@code key = value  # source}. */
    void print(CommandSpec spec, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        for (ArgSpec arg : settings(spec)) {
            rows.add(new String[] {key(arg), show(arg.getValue()), source(key(arg))});
        }
        int width = Math.min(48, rows.stream().mapToInt(r -> r[0].length() + r[1].length()).max().orElse(0) + 4);
        for (String[] row : rows) {
            String setting = row[0] + " = " + row[1];
            out.println(setting + " ".repeat(Math.max(2, width - setting.length())) + "# " + row[2]);
        }
    }

    private static String show(Object value) {
        return switch (value) {
            case null -> "";
            case java.util.Collection<?> list -> String.join(", ", list.stream().map(String::valueOf).toList());
            default -> value.toString();
        };
    }

    /** JcornCommand's settings: its options but --help and --version, and APP. */
    static List<ArgSpec> settings(CommandSpec spec) {
        List<ArgSpec> all = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!option.usageHelp() && !option.versionHelp()) all.add(option);
        }
        all.addAll(spec.positionalParameters());
        return all;
    }

    /** The config file key: the longest option name without dashes, '_' for '-'; APP is {@code app}. */
    static String key(ArgSpec arg) {
        if (arg instanceof OptionSpec option) return normalize(option.longestName());
        return arg.paramLabel().toLowerCase();
    }

    /** Gunicorn's name for the setting where it differs from the key ({@link GunicornName}), else null. */
    static String gunicornName(ArgSpec arg) {
        GunicornName name = arg.userObject() instanceof java.lang.reflect.Field field
                ? field.getAnnotation(GunicornName.class) : null;
        return name == null ? null : name.value();
    }

    static String normalize(String name) {
        return name.replaceFirst("^-+", "").replace('-', '_').toLowerCase();
    }

    static CommandSpec spec() {
        return new CommandLine(new JcornCommand()).getCommandSpec();
    }

    /**
     * One source's settings: key to the values as given, and where each was given.
     *
     * @param values key to the raw values (several for a repeatable option)
     * @param origins key to where it was set (a layer name or FILE:LINE)
     */
    record Layer(Map<String, List<String>> values, Map<String, String> origins) {
        static final Layer EMPTY = new Layer(Map.of(), Map.of());

        /** The settings {@code args} name, as picocli reads them. */
        static Layer parse(List<String> args, String origin) {
            CommandLine cli = new CommandLine(new JcornCommand());
            cli.setUnmatchedArgumentsAllowed(true);
            List<String> withApp = new ArrayList<>(args);
            withApp.add(NO_APP);
            CommandLine.ParseResult result = cli.parseArgs(withApp.toArray(String[]::new));
            List<String> unmatched = new ArrayList<>(result.unmatched());
            unmatched.remove(NO_APP);
            if (!origin.equals(COMMAND_LINE) && !unmatched.isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(cli, unmatched);
            }
            Map<String, List<String>> values = new LinkedHashMap<>();
            Map<String, String> origins = new LinkedHashMap<>();
            for (ArgSpec arg : settings(result.commandSpec())) {
                boolean given = arg instanceof OptionSpec option ? result.hasMatchedOption(option) : isGivenApp(arg);
                if (!given) continue;
                values.put(key(arg), raw(arg));
                origins.put(key(arg), origin);
            }
            return new Layer(values, origins);
        }

        private static boolean isGivenApp(ArgSpec arg) {
            return !(arg instanceof OptionSpec) && arg.getValue() != null && !NO_APP.equals(arg.getValue());
        }

        // A flag's value is what picocli made of it (true, or false for --no-...); others as given.
        private static List<String> raw(ArgSpec arg) {
            if (arg.arity().max() == 0) return List.of(String.valueOf((Object) arg.getValue()));
            return List.copyOf(arg.originalStringValues());
        }

        /** Adds this layer's settings that none of {@code above} sets, as flags, to {@code args}. */
        void addUnder(List<Layer> above, List<String> args, Map<String, String> sources) {
            CommandSpec spec = spec();
            for (Map.Entry<String, List<String>> setting : values.entrySet()) {
                String key = setting.getKey();
                if (above.stream().anyMatch(layer -> layer.values.containsKey(key))) continue;
                sources.put(key, origins.get(key));
                args.addAll(flags(spec, key, setting.getValue()));
            }
        }
    }

    /** Splits JCORN_CMD_ARGS as a shell would (quotes and backslashes), without expanding anything. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (word != null) words.add(word.toString());
                word = null;
                continue;
            }
            if (word == null) word = new StringBuilder();
            if (c == quote) {
                quote = 0;
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == '\\' && quote != '\'' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
            } else {
                word.append(c);
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unclosed " + quote + " quote");
        if (word != null) words.add(word.toString());
        return words;
    }

    /** {@code key}'s values as command-line arguments. */
    static List<String> flags(CommandSpec spec, String key, List<String> values) {
        List<String> flags = new ArrayList<>();
        for (ArgSpec arg : settings(spec)) {
            if (!key(arg).equals(key)) continue;
            if (!(arg instanceof OptionSpec option)) {
                flags.addAll(values);
            } else if (option.arity().max() == 0) {
                boolean on = Boolean.parseBoolean(values.getLast());
                if (on) flags.add(option.longestName());
                else if (option.negatable()) flags.add(negated(spec, option));
            } else {
                for (String value : values) flags.add(option.longestName() + "=" + value);
            }
        }
        return flags;
    }

    private static String negated(CommandSpec spec, OptionSpec option) {
        return spec.negatableOptionTransformer().makeNegative(option.longestName(), spec);
    }
}
