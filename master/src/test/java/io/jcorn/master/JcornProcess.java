package io.jcorn.master;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real {@code bin/jcorn}, started in its own process group, for process-level tests.
 *
 * <p>Collects the output line by line, waits for the documented log lines, and on close stops the
 * master (TERM, then KILL of the whole group). An ERROR line the test did not expect fails it.
 */
final class JcornProcess implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("jcorn.home", "..")).toAbsolutePath().normalize();
    static final String EXAMPLES = HOME.resolve("examples/target/classes").toString();
    static final String TEST_APPS = HOME.resolve("master/target/test-classes").toString();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("Listening at: (\\S+) \\(");
    private static final Pattern BOOTED = Pattern.compile("Worker (\\d+) \\(pid:(\\d+)\\) booted in");

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Pattern> expectedErrors = new ArrayList<>();
    private volatile boolean outputClosed;
    final Path dir;

    private JcornProcess(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
        Thread.ofPlatform().daemon().start(this::collect);
    }

    /** Starts {@code bin/jcorn args...}; returns at once. */
    static JcornProcess start(String... args) throws IOException {
        return start(java.util.Map.of(), args);
    }

    /** Starts {@code bin/jcorn args...} with {@code env} added to the environment; returns at once. */
    static JcornProcess start(java.util.Map<String, String> env, String... args) throws IOException {
        return startVia(List.of(), env, args);
    }

    /** Starts {@code launcher... bin/jcorn args...}: a launcher that execs its last arguments. */
    static JcornProcess startVia(List<String> launcher, java.util.Map<String, String> env, String... args)
            throws IOException {
        Path dir = Files.createTempDirectory("jcorn-test");
        List<String> command = new ArrayList<>(List.of("setsid"));
        command.addAll(launcher);
        command.add(HOME.resolve("bin/jcorn").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // Each master's default control socket in its own directory: tests never meet each other's.
        builder.environment().put("XDG_RUNTIME_DIR", dir.toString());
        builder.environment().putAll(env);
        return new JcornProcess(builder.start(), dir);
    }

    /** Starts {@code bin/jcorn} and waits until {@code workers} workers serve. */
    static JcornProcess serving(int workers, String... args) throws IOException {
        JcornProcess jcorn = start(args);
        jcorn.awaitBooted(workers);
        return jcorn;
    }

    private void collect() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) lines.add(line);
        } catch (IOException e) {
            // the process is gone
        }
        outputClosed = true;
    }

    /** Declares an ERROR line (matching {@code regex}) part of the test. */
    JcornProcess expectErrors(String regex) {
        expectedErrors.add(Pattern.compile(regex));
        return this;
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    String output() {
        return String.join("\n", lines);
    }

    long masterPid() {
        return process.pid();
    }

    /** Waits for the {@code n}-th line matching {@code regex}; returns its match. */
    Matcher awaitLine(String regex, int n) {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            int seen = 0;
            for (String line : lines) {
                Matcher m = pattern.matcher(line);
                if (m.find() && ++seen == n) return m;
            }
            // The output closes when the master and every process it started (workers, a new
            // master after an upgrade) are gone: only then can no more lines come.
            if (outputClosed && seen < n) {
                sleep(200);
                if (count(regex) < n) fail("jcorn exited before logging /" + regex + "/ (" + n + "):\n" + output());
            }
            sleep(20);
        }
        return fail("no /" + regex + "/ (" + n + ") within " + WAIT + ":\n" + output());
    }

    Matcher awaitLine(String regex) {
        return awaitLine(regex, 1);
    }

    int count(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return (int) lines.stream().filter(l -> pattern.matcher(l).find()).count();
    }

    /** Waits until {@code n} "booted" lines have been logged in all. */
    void awaitBooted(int n) {
        awaitLine(BOOTED.pattern(), n);
    }

    /** The first listening address: {@code http://HOST:PORT} or {@code unix:PATH}. */
    String address() {
        return awaitLine(LISTENING.pattern()).group(1);
    }

    int port() {
        String address = address();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The live (non-zombie) worker processes of the master. */
    List<Long> workerPids() {
        return ProcessHandle.of(masterPid()).stream().flatMap(ProcessHandle::children)
                .map(ProcessHandle::pid).filter(JcornProcess::alive).sorted().toList();
    }

    /** The pid of worker number {@code number}, from the last "booted" line naming it. */
    long workerPid(int number) {
        long pid = -1;
        for (String line : lines) {
            Matcher m = BOOTED.matcher(line);
            if (m.find() && Integer.parseInt(m.group(1)) == number) pid = Long.parseLong(m.group(2));
        }
        if (pid < 0) fail("no worker " + number + " booted:\n" + output());
        return pid;
    }

    /** What {@code jcorn ctl} printed and its exit code. */
    record Ctl(int exit, String output) {}

    /** Runs {@code launcher... bin/jcorn ctl args...} as a user of this master would (same runtime directory). */
    Ctl ctl(List<String> launcher, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.add(HOME.resolve("bin/jcorn").toString());
        command.add("ctl");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("XDG_RUNTIME_DIR", dir.toString());
        Process ctl = builder.start();
        String output = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ctl.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) fail("jcorn ctl did not exit: " + output);
        return new Ctl(ctl.exitValue(), output);
    }

    Ctl ctl(String... args) throws IOException, InterruptedException {
        return ctl(List.of(), args);
    }

    void signal(String name) {
        JcornProcess.kill(name, masterPid());
    }

    static void kill(String signal, long pid) {
        try {
            new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the master to exit; returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) fail("jcorn did not exit:\n" + output());
        sleep(100); // let the reader take the last lines
        return process.exitValue();
    }

    /** True if {@code pid} is a running process (a zombie is not: it has exited). */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            signal("TERM");
            process.waitFor(10, TimeUnit.SECONDS);
        }
        // Whatever is left of the group (a worker, a new master after an upgrade) goes too.
        new ProcessBuilder("kill", "-KILL", "--", "-" + masterPid()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        process.waitFor(5, TimeUnit.SECONDS);
        sleep(100);
        List<String> unexpected = lines.stream().filter(l -> l.contains("] [ERROR] "))
                .filter(l -> expectedErrors.stream().noneMatch(p -> p.matcher(l).find())).toList();
        if (!unexpected.isEmpty()) fail("unexpected ERROR lines:\n" + String.join("\n", unexpected) + "\n\n" + output());
    }

    /** The first listening address in a log file's content. */
    static String listeningAt(String log) {
        return log.lines().filter(l -> l.contains("Listening at: ")).findFirst().orElseThrow()
                .replaceAll(".*Listening at: (\\S+) .*", "$1");
    }

    /** Waits until {@code file} contains {@code text} {@code times} times; returns its content. */
    static String awaitInFile(Path file, String text, int times) throws IOException {
        for (int i = 0; i < 400; i++) {
            String content = Files.exists(file) ? Files.readString(file) : "";
            if (content.split(Pattern.quote(text), -1).length - 1 >= times) return content;
            sleep(50);
        }
        return fail("no " + times + " x '" + text + "' in " + file + ":\n"
                + (Files.exists(file) ? Files.readString(file) : "(missing)"));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
