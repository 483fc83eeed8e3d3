package io.jcorn.master;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;

/**
 * Writes {@code docs/settings.md} from JcornCommand's options, so that the reference says what the
 * command line does: every flag, its config file key and its description, each defined once.
 * A unit test fails when the committed file differs from what this writes.
 */
final class SettingsReference {
    static final String REGENERATE = "mvn -q -B test -pl master -am -Dtest=SettingsReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Djcorn.settings.regenerate=true";

    /** What the release's config file leaves out: the file itself, and what makes jcorn do something else than serve. */
    static final List<String> NOT_IN_THE_CONFIG_FILE = List.of("config", "print_config", "check_config", "train_aot_cache");

    private SettingsReference() {}

    static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# jcorn settings\n\n")
                .append("<!-- Written by io.jcorn.master.SettingsReference from the command line's definition; do not edit.\n")
                .append("     Regenerate: ").append(REGENERATE).append(" -->\n\n")
                .append(INTRO);
        CommandSpec spec = Settings.spec();
        for (ArgSpec arg : Settings.settings(spec)) section(md, arg);
        return md.toString();
    }

    /** conf/jcorn.conf of the release: every setting, commented out at its default, with its description. */
    static String configFile() {
        StringBuilder conf = new StringBuilder()
                .append("# jcorn.conf: the settings of jcorn, as key = value lines (see docs/settings.md).\n")
                .append("# Each one is shown at its default, commented out; the command line and JCORN_CMD_ARGS override\n")
                .append("# this file. jcorn reads ./jcorn.conf by itself, another file with -c FILE.\n")
                .append("# Written by io.jcorn.master.SettingsReference; regenerate: ").append(REGENERATE).append("\n");
        for (ArgSpec arg : Settings.settings(spec())) {
            String key = Settings.key(arg);
            if (NOT_IN_THE_CONFIG_FILE.contains(key)) continue;
            conf.append('\n');
            for (String line : wrap(String.join(" ", arg.renderedDescription()).replace("%n", " ").replace("%%", "%"))) {
                conf.append("# ").append(line).append('\n');
            }
            String value = arg.defaultValue() == null ? "" : arg.defaultValue();
            conf.append("#").append(key).append(" = ").append(value).append('\n');
        }
        return conf.toString();
    }

    private static List<String> wrap(String text) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && line.length() + word.length() >= 98) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) line.append(' ');
            line.append(word);
        }
        if (!line.isEmpty()) lines.add(line.toString());
        return lines;
    }

    private static void section(StringBuilder md, ArgSpec arg) {
        String key = Settings.key(arg);
        String label = arg.arity().max() == 0 ? "true|false" : arg.paramLabel();
        md.append("## `").append(key).append("`\n\n");
        if (arg instanceof OptionSpec option) {
            String value = arg.arity().max() == 0 ? "" : " " + label;
            md.append("Command line: ").append(String.join(", ", java.util.Arrays.stream(option.names()).map(n -> "`" + n + value + "`").toList()))
                    .append(option.negatable() ? " (and `" + spec().negatableOptionTransformer()
                            .makeNegative(option.longestName(), spec()) + "`)" : "").append("  \n");
        } else {
            md.append("Command line: `").append(label).append("` (the last argument)  \n");
        }
        md.append("Config file: `").append(key).append(" = ").append(label).append("`")
                .append(arg.isMultiValue() ? " (several: comma-separated, or the key repeated)" : "")
                .append(Settings.gunicornName(arg) == null ? "" : ", or Gunicorn's `" + Settings.gunicornName(arg) + "`")
                .append("\n\n");
        for (String line : arg.renderedDescription()) md.append(markdownText(line)).append('\n');
        md.append('\n');
    }

    // picocli's format escapes out, markdown's in: '*' and '_' are text here, not emphasis.
    private static String markdownText(String description) {
        return description.replace("%n", "\n").replace("%%", "%").replace("*", "\\*").replace("_", "\\_")
                .replace("<", "&lt;");
    }

    private static CommandSpec spec() {
        return Settings.spec();
    }

    private static final String INTRO = String.join("\n", List.of(
            "Each setting can be given in three places. The first one that sets it wins, as in Gunicorn:",
            "",
            "1. the command line: `jcorn --workers 3 app.Main`",
            "2. the environment variable `JCORN_CMD_ARGS`, read like a command line: "
                    + "`JCORN_CMD_ARGS=\"--workers 3 --bind unix:/run/app.sock\"`",
            "3. the config file: `-c FILE` / `--config FILE` (on the command line or in `JCORN_CMD_ARGS`), "
                    + "else `./jcorn.conf` if there is one",
            "",
            "and otherwise the default. `jcorn --print-config` prints every setting with its value and where that",
            "came from (`command line`, `JCORN_CMD_ARGS`, `FILE:LINE` or `default`), then exits. `jcorn --check-config`",
            "checks them all and loads the app in a throwaway JVM, binding nothing: exit 0, or 1 with the reason.",
            "A HUP to the master reads the config file and `JCORN_CMD_ARGS` again and starts new workers with",
            "them (a changed `bind` waits for a USR2 upgrade).",
            "",
            "## The config file",
            "",
            "```properties",
            "# jcorn.conf: key = value, one per line, as a Java .properties file",
            "bind = unix:/run/jcorn/app.sock, 127.0.0.1:8000",
            "workers = 4",
            "worker_class = sync",
            "access_logfile = /var/log/jcorn/access.log",
            "env = APP_ENV=production",
            "env = APP_REGION=eu",
            "app = com.example.Main",
            "```",
            "",
            "- A key is the long option without `--`; `-` and `_` are the same (`worker-class`, `worker_class`),",
            "  and an option's other long names work too (`log_file` for `error_logfile`), and so do Gunicorn's",
            "  setting names where they differ (`errorlog`, `accesslog`, `loglevel`, `pidfile`, `raw_env`, ...).",
            "  The app is `app` (or `wsgi_app`).",
            "- Lines starting with `#` or `!` are comments. Values are taken as written, without quotes.",
            "- A setting that takes several values takes them comma-separated, or the key repeated.",
            "- A flag takes `true` or `false`.",
            "- An unknown key, a setting given twice, or a bad value stops jcorn with `FILE:LINE` and the reason",
            "  (exit code 2).",
            "",
            "The format is the one of `.properties` files because Java operators already write those, and the",
            "JDK reads it without a library.",
            "",
            "# Settings",
            "",
            ""));
}
