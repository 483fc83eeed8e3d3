package io.jcorn.master.reload;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A {@code --reload-extra-file} pattern, matched as Gunicorn 26.1 matches it (Python's
 * {@code glob.glob(pattern, recursive=True)}): {@code *}, {@code ?} and {@code [...]} within one
 * path component, {@code [!...]} for "none of", {@code **} as a whole component for any number of
 * directories (the last component {@code **}: everything below), and names starting with '.' only
 * for a component that starts with '.' too. Re-expanded on every scan, so a file created later is
 * watched without a restart.
 */
final class GlobPattern {
    private final String pattern;
    private final List<String> components;
    private final boolean absolute;

    GlobPattern(String pattern) {
        this.pattern = pattern;
        this.absolute = pattern.startsWith("/");
        this.components = List.of(pattern.split("/+")).stream().filter(c -> !c.isEmpty()).toList();
    }

    /** Whether Gunicorn reads {@code entry} as a pattern rather than a file name: it has '*', '?' or '['. */
    static boolean isPattern(String entry) {
        return entry.indexOf('*') >= 0 || entry.indexOf('?') >= 0 || entry.indexOf('[') >= 0;
    }

    /** The directory the pattern starts from: its components before the first with a wildcard. */
    Path base(Path cwd) {
        Path at = absolute ? Path.of("/") : cwd;
        for (String component : components) {
            if (isPattern(component)) break;
            at = at.resolve(component);
        }
        return at;
    }

    /** The existing files and directories it matches now, relative ones resolved against {@code cwd}, sorted. */
    List<Path> expand(Path cwd) {
        List<Path> current = List.of(absolute ? Path.of("/") : cwd);
        for (int i = 0; i < components.size() && !current.isEmpty(); i++) {
            String component = components.get(i);
            boolean last = i == components.size() - 1;
            // Python leaves the working directory itself out of what a relative "**" matches
            current = component.equals("**") ? below(current, last, !(last && i == 0 && !absolute))
                    : isPattern(component) ? matching(current, component)
                    : existing(current, component);
        }
        return new ArrayList<>(new TreeSet<>(current));
    }

    private static List<Path> existing(List<Path> dirs, String name) {
        List<Path> found = new ArrayList<>();
        for (Path dir : dirs) {
            Path path = dir.resolve(name);
            if (Files.exists(path)) found.add(path);
        }
        return found;
    }

    private static List<Path> matching(List<Path> dirs, String component) {
        Pattern regex = regex(component);
        boolean hidden = component.startsWith(".");
        List<Path> found = new ArrayList<>();
        for (Path dir : dirs) {
            for (Path entry : entries(dir)) {
                String name = entry.getFileName().toString();
                if ((hidden || !name.startsWith(".")) && regex.matcher(name).matches()) found.add(entry);
            }
        }
        return found;
    }

    /** {@code **}: the directories themselves and every directory below (and, as the last component, every file). */
    private static List<Path> below(List<Path> dirs, boolean last, boolean themselves) {
        List<Path> found = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) continue;
            if (themselves) found.add(dir);
            addBelow(dir, last, found);
        }
        return found;
    }

    private static void addBelow(Path dir, boolean files, List<Path> found) {
        for (Path entry : entries(dir)) {
            if (entry.getFileName().toString().startsWith(".")) continue;
            if (Files.isDirectory(entry)) {
                found.add(entry);
                if (!Files.isSymbolicLink(entry)) addBelow(entry, files, found);
            } else if (files) {
                found.add(entry);
            }
        }
    }

    private static List<Path> entries(Path dir) {
        List<Path> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) return entries;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            // unreadable or gone meanwhile: nothing there to match
        }
        return entries;
    }

    /** fnmatch's translation of one component: '*', '?', '[...]' and '[!...]'; a '[' without its ']' is itself. */
    static Pattern regex(String component) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int close = closingBracket(component, i);
                    if (close < 0) {
                        regex.append("\\[");
                    } else {
                        regex.append(characterClass(component.substring(i + 1, close)));
                        i = close;
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static int closingBracket(String s, int open) {
        int j = open + 1;
        if (j < s.length() && s.charAt(j) == '!') j++;
        if (j < s.length() && s.charAt(j) == ']') j++; // a ']' first is a member
        return s.indexOf(']', j);
    }

    private static String characterClass(String members) {
        StringBuilder out = new StringBuilder("[");
        int first = 0;
        if (members.startsWith("!")) {
            out.append('^');
            first = 1;
        }
        for (int i = first; i < members.length(); i++) {
            char c = members.charAt(i);
            if (c == '-' && i > first && i < members.length() - 1) out.append('-');
            else if (Character.isLetterOrDigit(c)) out.append(c);
            else out.append('\\').append(c);
        }
        return out.append(']').toString();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
