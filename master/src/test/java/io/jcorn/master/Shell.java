package io.jcorn.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command (ss, curl) and returns its output. */
final class Shell {
    private Shell() {}

    record Result(int exitCode, String output) {}

    static String run(String... command) throws IOException, InterruptedException {
        return exec(command).output();
    }

    static Result exec(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
        return new Result(process.exitValue(), output);
    }
}
