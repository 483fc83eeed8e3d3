package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** --user/--group: the master stays root (it owns the sockets), the workers drop to the user. */
class WorkerUserIT {

    @Test
    void workersRunAsNobodyAndServe() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "switching users needs root");
        try (JcornProcess jcorn = JcornProcess.serving(1, "--user", "nobody", "--group", "nogroup",
                "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            String status = Files.readString(Path.of("/proc/" + jcorn.workerPid(0) + "/status"));
            assertEquals("65534", field(status, "Uid:"), status);
            assertEquals("65534", field(status, "Gid:"), status);
            assertEquals("65534", field(status, "Groups:"), status);
            assertEquals(200, Http.get(jcorn.address(), "/").status());
            String maps = Files.readString(Path.of("/proc/" + jcorn.workerPid(0) + "/maps"));
            org.junit.jupiter.api.Assertions.assertTrue(maps.contains("/var/cache/jcorn/worker-"),
                    "the worker can read its AOT cache");
        }
    }

    @Test
    void theLogFileIsHandedToTheWorkersUser() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "switching users needs root");
        Path dir = Files.createTempDirectory("jcorn-user");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path logfile = dir.resolve("error.log");
        Path socket = dir.resolve("app.sock");
        try (JcornProcess jcorn = JcornProcess.start("--user", "nobody", "--error-logfile", logfile.toString(),
                "-b", "unix:" + socket, "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            for (int i = 0; i < 400 && !(Files.exists(logfile) && Files.readString(logfile).contains("booted in")); i++) {
                JcornProcess.sleep(50);
            }
            assertEquals("nobody", Files.getOwner(logfile).getName());
            assertEquals(200, Http.get("unix:" + socket, "/").status(), Files.readString(logfile));
        }
    }

    @Test
    void aHupThatChangesTheUserRunsTheNewWorkersAsIt() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "switching users needs root");
        Path dir = Files.createTempDirectory("jcorn-user");
        Path conf = dir.resolve("jcorn.conf");
        java.util.List<String> settings = java.util.List.of("bind = 127.0.0.1:0", "classpath = " + JcornProcess.EXAMPLES,
                "app = io.jcorn.examples.Hello");
        Files.write(conf, settings);
        try (JcornProcess jcorn = JcornProcess.serving(1, "-c", conf.toString())) {
            assertEquals("0", field(Files.readString(Path.of("/proc/" + jcorn.workerPid(0) + "/status")), "Uid:"));
            java.util.List<String> asNobody = new java.util.ArrayList<>(settings);
            asNobody.add("user = nobody");
            Files.write(conf, asNobody);
            jcorn.signal("HUP");
            jcorn.awaitLine("Reload complete: 1 new workers serving");
            String status = Files.readString(Path.of("/proc/" + jcorn.workerPid(0) + "/status"));
            assertEquals("65534", field(status, "Uid:"), status);
            assertEquals("65534", field(status, "Gid:"), status);
            assertEquals(200, Http.get(jcorn.address(), "/").status());
        }
    }

    @Test
    void checkConfigLoadsTheAppAsTheUser() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "switching users needs root");
        Path classes = Files.createTempDirectory("jcorn-private-classes"); // rwx------, root's
        Path hello = Path.of("io/jcorn/examples/Hello.class");
        Files.createDirectories(classes.resolve(hello).getParent());
        Files.copy(Path.of(JcornProcess.EXAMPLES).resolve(hello), classes.resolve(hello));
        String[][] runs = {
            {"0", "the app io.jcorn.examples.Hello loads", "--classpath", classes.toString()},
            {"1", "App failed to load: ", "--user", "nobody", "--classpath", classes.toString()},
            {"0", "the app io.jcorn.examples.Hello loads", "--user", "nobody", "--classpath", JcornProcess.EXAMPLES},
        };
        for (String[] run : runs) {
            String[] args = new String[run.length];
            args[0] = "--check-config";
            System.arraycopy(run, 2, args, 1, run.length - 2);
            args[run.length - 1] = "io.jcorn.examples.Hello";
            try (JcornProcess jcorn = JcornProcess.start(args)) {
                assertEquals(Integer.parseInt(run[0]), jcorn.awaitExit(), jcorn.output());
                assertEquals(1, jcorn.lines().size(), jcorn.output());
                org.junit.jupiter.api.Assertions.assertTrue(jcorn.output().contains(run[1]), jcorn.output());
            }
        }
    }

    @Test
    void unknownUserOrGroupIsOneLineAndExitCodeTwo() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "switching users needs root");
        for (String[] args : new String[][] {{"--user", "no-such-user-here", "io.jcorn.examples.Hello"},
                {"--group", "no-such-group-here", "io.jcorn.examples.Hello"}}) {
            try (JcornProcess jcorn = JcornProcess.start(args)) {
                assertEquals(2, jcorn.awaitExit(), jcorn.output());
                assertEquals(1, jcorn.lines().size(), jcorn.output());
            }
        }
    }

    // The first (real) id of a /proc status line such as "Uid:\t65534\t65534\t65534\t65534".
    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name)).findFirst().orElseThrow()
                .substring(name.length()).trim().split("\\s+")[0];
    }
}
