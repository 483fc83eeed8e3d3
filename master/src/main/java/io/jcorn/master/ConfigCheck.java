package io.jcorn.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --check-config}: the settings are already checked when this runs; what is left is the app,
 * which only a worker JVM can load (its classpath is the app's, not the master's). A throwaway
 * worker JVM, run as the workers' user ({@code --user/--group}), loads it the way a worker does
 * and says in one line whether it could.
 */
final class ConfigCheck {
    private ConfigCheck() {}

    /** Returns 0 if the app loads, else 1; prints the outcome in one line. */
    static int run(Config config) {
        // as the workers' user: an app it cannot read fails here, not in the workers
        List<String> command = new ArrayList<>(Spawner.switchUser(config));
        command.add(Spawner.JAVA);
        command.addAll(Spawner.jvmFlags(config));
        command.addAll(List.of("-cp", config.workerClasspath(), "io.jcorn.worker.AppCheck", config.app(), config.classpath()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (config.chdir() != null) builder.directory(config.chdir().toFile());
        builder.environment().putAll(config.env());
        try {
            Process check = Children.start(builder);
            check.getOutputStream().close();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int code = check.waitFor();
            String reason = output.isEmpty() ? "the check exited with " + code : output.lines().reduce((a, b) -> b).orElseThrow();
            if (code == 0) {
                System.out.println("jcorn: the settings are valid and " + reason);
                return 0;
            }
            System.err.println("jcorn: " + reason);
        } catch (IOException e) {
            System.err.println("jcorn: cannot start a JVM to load the app: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 1;
    }
}
