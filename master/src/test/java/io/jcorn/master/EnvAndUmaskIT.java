package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvAndUmaskIT {

    @Test
    void workersGetTheEnvAndFilesTheUmask() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-umask");
        Path socket = dir.resolve("app.sock");
        Path pidfile = dir.resolve("app.pid");
        try (JcornProcess jcorn = JcornProcess.serving(1, "--env", "APP_MODE=production", "-e", "EMPTY=",
                "--umask", "0o077", "--pid", pidfile.toString(), "-b", "unix:" + socket,
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            String environ = Files.readString(Path.of("/proc/" + jcorn.workerPid(0) + "/environ")).replace('\0', '\n');
            assertTrue(environ.lines().anyMatch("APP_MODE=production"::equals), environ);
            assertTrue(environ.lines().anyMatch("EMPTY="::equals), environ);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pidfile)));
        }
    }

    @Test
    void workersStartInTheChdir() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-chdir").toRealPath();
        try (JcornProcess jcorn = JcornProcess.serving(1, "--chdir", dir.toString(),
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            assertEquals(dir, Files.readSymbolicLink(Path.of("/proc/" + jcorn.workerPid(0) + "/cwd")));
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    void workerTmpDirIsTheWorkersJavaIoTmpdir() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-tmp").toRealPath();
        try (JcornProcess jcorn = JcornProcess.serving(1, "--worker-tmp-dir", dir.toString(), "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            String cmdline = Files.readString(Path.of("/proc/" + jcorn.workerPid(0) + "/cmdline")).replace('\0', ' ');
            assertTrue(cmdline.contains(" -Djava.io.tmpdir=" + dir + " "), cmdline);
            assertEquals(200, Http.get(jcorn.address(), "/").status());
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    void badValuesAreOneLineAndExitCodeTwo() throws Exception {
        for (String[] args : new String[][] {{"--env", "NOEQUALS", "io.jcorn.examples.Hello"},
                {"--umask", "0o999", "io.jcorn.examples.Hello"}, {"--max-worker-memory", "10", "io.jcorn.examples.Hello"},
                {"--chdir", "/nonexistent/dir", "io.jcorn.examples.Hello"},
                {"--worker-tmp-dir", "/nonexistent/dir", "io.jcorn.examples.Hello"},
                {"--hooks", "not a class", "io.jcorn.examples.Hello"},
                {"--error-logfile", "/proc/nope/error.log", "io.jcorn.examples.Hello"}}) {
            try (JcornProcess jcorn = JcornProcess.start(args)) {
                assertEquals(2, jcorn.awaitExit(), jcorn.output());
                assertEquals(1, jcorn.lines().size(), jcorn.output());
            }
        }
    }
}
