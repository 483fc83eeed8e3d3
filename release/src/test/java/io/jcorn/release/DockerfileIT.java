package io.jcorn.release;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * examples/docker/Dockerfile, as far as a machine without a container engine takes it: this test
 * runs the file's own instructions against the release tarball in a root directory of their own
 * (a mount namespace and chroot; the base image stands in as this machine's /usr and /etc, read-only,
 * and this JDK at the image's /opt/java/openjdk), then its ENTRYPOINT and CMD as its USER, as PID 1
 * of a pid namespace, in a network namespace of its own. The first worker boots from the AOT cache
 * the build trained, the app and /healthz answer, and the STOPSIGNAL stops it with exit 0.
 */
class DockerfileIT {
    private static final Path SOURCE = Path.of(System.getProperty("jcorn.source", "..")).toAbsolutePath().normalize();
    private static final Path TARBALL = Path.of(System.getProperty("jcorn.tarball"));
    private static final Path JDK = Path.of(System.getProperty("java.home"));
    // What eclipse-temurin images set; the rest of the base image is this machine's /usr and /etc.
    private static final Map<String, String> BASE_IMAGE_ENV = Map.of("JAVA_HOME", "/opt/java/openjdk",
            "PATH", "/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME", "/root");
    private static final Pattern JSON_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern READY = Pattern.compile("the workers' AOT cache is ready: (\\S+)");
    // Mounts the base image into the root, then runs the rest of the command line chrooted there;
    // a network namespace of its own gets its loopback up.
    private static final String CONTAINER = """
            set -e
            root=$1; jdk=$2; network=$3; shift 3
            for dir in usr etc; do mount --bind "/$dir" "$root/$dir"; mount -o remount,bind,ro "$root/$dir"; done
            for dir in dev sys; do mount --rbind "/$dir" "$root/$dir"; done
            mount --bind "$jdk" "$root/opt/java/openjdk"; mount -o remount,bind,ro "$root/opt/java/openjdk"
            mount -t proc proc "$root/proc"
            if [ "$network" = own ]; then ip link set lo up; fi
            exec chroot "$root" "$@"
            """;

    private final Map<String, String> args = new LinkedHashMap<>(Map.of("JCORN_VERSION", System.getProperty("jcorn.version")));
    private final Map<String, String> env = new LinkedHashMap<>(BASE_IMAGE_ENV);
    private Path root;
    private Path context;
    private String workdir = "/";
    private String user;
    private String stopSignal = "SIGTERM";
    private List<String> entrypoint = List.of();
    private List<String> cmd = List.of();
    private final List<String> buildOutput = new ArrayList<>();

    @Test
    void theImageBuildsTrainsItsCacheServesAndStopsOnItsStopSignal() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "namespaces and chroot need root (CI runs as root)");
        for (String tool : List.of("unshare", "chroot", "nsenter", "setpriv", "curl", "ip")) {
            assumeTrue(onPath(tool), tool + " is not installed (.ci/run installs what the tests need)");
        }
        assumeTrue(Runtime.version().feature() >= 25, "the image's JVM stands in as this one: the AOT cache needs JDK 25");
        root = Files.createTempDirectory("jcorn-image");
        try {
            prepareBaseImage();
            prepareContext();
            for (Dockerfile.Instruction instruction : Dockerfile.read(SOURCE.resolve("examples/docker/Dockerfile")).instructions()) {
                build(instruction.name(), instruction.arguments());
            }
            Matcher ready = READY.matcher(String.join("\n", buildOutput));
            assertTrue(ready.find(), "the build trains the AOT cache:\n" + String.join("\n", buildOutput));
            assertEquals("SIGTERM", stopSignal);
            assertTrue(user != null && user.matches("[1-9]\\d*(:\\d+)?"), "runs as a numeric non-root user: " + user);
            run(ready.group(1));
        } finally {
            remove(root);
        }
    }

    // ---- the base image and the build context ----

    private void prepareBaseImage() throws IOException {
        Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String dir : List.of("usr", "etc", "dev", "sys", "proc", "opt/java/openjdk", "var/cache", "root")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.setPosixFilePermissions(Files.createDirectories(root.resolve("tmp")),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        for (String dir : List.of("bin", "sbin", "lib", "lib64")) {
            Path host = Path.of("/" + dir);
            assumeTrue(!Files.exists(host) || Files.isSymbolicLink(host), "a merged /usr (/" + dir + " -> usr/" + dir + ")");
            if (Files.isSymbolicLink(host)) Files.createSymbolicLink(root.resolve(dir), Files.readSymbolicLink(host));
        }
    }

    private void prepareContext() throws IOException {
        context = Files.createDirectories(root.resolveSibling(root.getFileName() + "-context"));
        Files.copy(TARBALL, context.resolve(TARBALL.getFileName()));
        Files.copy(SOURCE.resolve("examples/docker/jcorn.conf"), context.resolve("jcorn.conf"));
        Files.copy(SOURCE.resolve("examples/target/jcorn-examples.jar"),
                Files.createDirectories(context.resolve("app")).resolve("jcorn-examples.jar"));
    }

    // ---- the Dockerfile's instructions ----

    private void build(String instruction, String arguments) throws Exception {
        switch (instruction) {
            case "FROM" -> assertTrue(arguments.matches("eclipse-temurin:25(\\.[0-9.]+)?-(jre|jdk).*"),
                    "a JDK 25 image (the AOT cache needs the JVM it was trained by): " + arguments);
            case "ARG" -> {
                String[] pair = arguments.split("=", 2);
                args.putIfAbsent(pair[0], pair.length > 1 ? pair[1] : "");
            }
            case "ENV" -> {
                String[] pair = arguments.split("=", 2);
                env.put(pair[0], substitute(pair[1]));
            }
            case "ADD", "COPY" -> copy(instruction, substitute(arguments).split("\\s+"));
            case "WORKDIR" -> {
                workdir = resolve(substitute(arguments));
                Files.createDirectories(inRoot(workdir));
            }
            case "RUN" -> runStep(arguments);
            case "USER" -> user = substitute(arguments);
            case "EXPOSE" -> assertTrue(arguments.matches("[0-9 ]+"), arguments);
            case "STOPSIGNAL" -> stopSignal = arguments;
            case "ENTRYPOINT" -> entrypoint = execForm(instruction, arguments);
            case "CMD" -> cmd = execForm(instruction, arguments);
            default -> fail("this test does not know the Dockerfile instruction " + instruction + ": teach it");
        }
    }

    private String substitute(String text) {
        Map<String, String> vars = new LinkedHashMap<>(args);
        vars.putAll(env);
        Matcher m = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(name, "")));
        }
        return m.appendTail(out).toString();
    }

    // ADD unpacks a local tarball; a directory's contents are copied, not the directory.
    private void copy(String instruction, String[] words) throws Exception {
        Path target = inRoot(resolve(words[words.length - 1]));
        for (int i = 0; i < words.length - 1; i++) {
            Path source = context.resolve(words[i]);
            assertTrue(Files.exists(source), instruction + " " + words[i] + ": not in the build context");
            if (instruction.equals("ADD") && words[i].matches(".*\\.(tar\\.gz|tgz)")) {
                Files.createDirectories(target);
                exec(List.of("tar", "-xzf", source.toString(), "-C", target.toString()), buildOutput);
            } else if (Files.isDirectory(source)) {
                copyTree(source, Files.createDirectories(target));
            } else {
                Path file = words[words.length - 1].endsWith("/") ? target.resolve(source.getFileName()) : target;
                Files.createDirectories(file.getParent());
                Files.copy(source, file, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path copy = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) Files.createDirectories(copy);
                else Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static List<String> execForm(String instruction, String arguments) {
        assertTrue(arguments.startsWith("[") && arguments.endsWith("]"),
                instruction + " in exec form, so that jcorn is PID 1 and gets the signals: " + arguments);
        List<String> words = new ArrayList<>();
        Matcher m = JSON_STRING.matcher(arguments);
        while (m.find()) words.add(m.group(1));
        return words;
    }

    private String resolve(String path) {
        return path.startsWith("/") ? path : (workdir.endsWith("/") ? workdir : workdir + "/") + path;
    }

    private Path inRoot(String path) {
        return root.resolve(path.substring(1));
    }

    // ---- running in the image ----

    /** A RUN step: /bin/sh -c in the image, as its current user, with the build's ARG and ENV values. */
    private void runStep(String script) throws Exception {
        Map<String, String> stepEnv = new LinkedHashMap<>(args);
        stepEnv.putAll(env);
        int code = exec(container(false, stepEnv, List.of("/bin/sh", "-c", script)), buildOutput);
        assertEquals(0, code, "RUN " + script + ":\n" + String.join("\n", buildOutput));
    }

    private List<String> container(boolean pidOne, Map<String, String> variables, List<String> command) {
        List<String> line = new ArrayList<>(List.of("unshare", "--mount"));
        // --kill-child: the pid namespace, and everything in it, ends with this process
        if (pidOne) line.addAll(List.of("--pid", "--fork", "--kill-child", "--net"));
        line.addAll(List.of("--", "/bin/sh", "-c", CONTAINER, "container", root.toString(), JDK.toString(),
                pidOne ? "own" : "host"));
        if (user != null) {
            String[] ids = user.split(":");
            line.addAll(List.of("setpriv", "--reuid=" + ids[0], "--regid=" + (ids.length > 1 ? ids[1] : ids[0]), "--clear-groups"));
        }
        line.addAll(List.of("env", "-i", "-C", workdir));
        variables.forEach((key, value) -> line.add(key + "=" + value));
        line.addAll(command);
        return line;
    }

    private void run(String cache) throws Exception {
        List<String> command = new ArrayList<>(entrypoint);
        command.addAll(cmd);
        Map<String, String> runEnv = new LinkedHashMap<>(env);
        runEnv.put("HOME", "/"); // a user without an entry in /etc/passwd, as Docker sets it
        Process container = new ProcessBuilder(container(true, runEnv, command)).redirectErrorStream(true).start();
        List<String> log = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().start(() -> collect(container, log));
        try {
            await(log, "Worker \\d+ \\(pid:\\d+\\) booted in", 2, container);
            assertTrue(log.stream().anyMatch(l -> l.contains("[1] [INFO] Starting jcorn")), "jcorn is PID 1:\n" + String.join("\n", log));
            assertTrue(log.stream().noneMatch(l -> l.contains("Trained the workers' AOT cache")), String.join("\n", log));
            long master = container.children().findFirst().orElseThrow().pid();
            for (ProcessHandle worker : ProcessHandle.of(master).orElseThrow().children().toList()) {
                assertTrue(Files.readString(Path.of("/proc/" + worker.pid() + "/maps")).contains(cache),
                        "worker " + worker.pid() + " boots from the cache the build trained, " + cache);
            }
            assertEquals("200 Hello, World!", curl(master, "http://127.0.0.1:8000/"));
            assertEquals("200 ok: 2 of 2 workers serving\n", curl(master, "http://127.0.0.1:9100/healthz"));

            exec(List.of("kill", "-s", stopSignal.replaceFirst("^SIG", ""), Long.toString(master)), new ArrayList<>());
            assertTrue(container.waitFor(60, TimeUnit.SECONDS), "stops on " + stopSignal + ":\n" + String.join("\n", log));
            assertEquals(0, container.exitValue(), String.join("\n", log));
            assertTrue(log.stream().anyMatch(l -> l.contains("Shutting down: Master")), String.join("\n", log));
        } finally {
            container.destroyForcibly().waitFor();
        }
    }

    /** Status and body of a GET from inside the container's network. */
    private static String curl(long pid, String url) throws Exception {
        List<String> out = new ArrayList<>();
        exec(List.of("nsenter", "--target", Long.toString(pid), "--net", "curl", "-sS", "-o", "/dev/stdout",
                "-w", "%{http_code}", url), out);
        String text = String.join("\n", out);
        return text.substring(text.length() - 3) + " " + text.substring(0, text.length() - 3);
    }

    private static void await(List<String> log, String regex, int times, Process container) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        for (int i = 0; i < 1200; i++) {
            if (log.stream().filter(l -> pattern.matcher(l).find()).count() >= times) return;
            if (!container.isAlive() && i > 0) break;
            Thread.sleep(50);
        }
        fail("no " + times + " x /" + regex + "/ from the container:\n" + String.join("\n", log));
    }

    private static void collect(Process process, List<String> lines) {
        try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) lines.add(line);
        } catch (IOException e) {
            // the process is gone
        }
    }

    private static int exec(List<String> command, List<String> output) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " ends");
        output.addAll(text.lines().toList());
        return process.exitValue();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv("PATH").split(":")) if (Files.isExecutable(Path.of(dir, tool))) return true;
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    // Only once nothing is mounted under the root any more: removing a mounted /usr would remove this machine's.
    private void remove(Path dir) throws IOException {
        if (dir == null) return;
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        if (mounts.contains(" " + dir + "/") || mounts.contains(" " + dir + " ")) {
            fail("still mounted under " + dir + ", left in place:\n" + mounts);
        }
        for (Path tree : List.of(dir, dir.resolveSibling(dir.getFileName() + "-context"))) {
            if (!Files.exists(tree)) continue;
            try (var files = Files.walk(tree)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(file);
            }
        }
    }
}
