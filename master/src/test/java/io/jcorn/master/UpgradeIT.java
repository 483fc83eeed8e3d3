package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpgradeIT {

    @Test
    void usr2StartsANewMasterOnTheSameSocketsThatTakesOverAfterWinchAndTerm() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-upgrade");
        Path pidfile = dir.resolve("jcorn.pid");
        Path socket = dir.resolve("jcorn.sock");
        try (JcornProcess old = JcornProcess.serving(2, "-w", "2", "--pid", pidfile.toString(), "-b", "127.0.0.1:0",
                "-b", "unix:" + socket, "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            String url = old.address();
            Load load = Load.start(url, "/", 10);
            long newMaster;
            try (load) {
                old.signal("USR2");
                newMaster = Long.parseLong(old.awaitLine("Upgrading: started a new master with pid (\\d+)").group(1));
                old.awaitLine("\\[" + newMaster + "\\] \\[INFO\\] Using 2 listening socket\\(s\\) passed by the old master");
                old.awaitBooted(4);
                assertEquals(newMaster + "\n", Files.readString(Path.of(pidfile + ".2")));
                assertEquals(old.masterPid() + "\n", Files.readString(pidfile));
                old.signal("WINCH");
                old.awaitLine("\\[" + old.masterPid() + "\\] .*stopped by WINCH", 2);
                old.signal("TERM");
                old.awaitExit();
                old.awaitLine("\\[" + newMaster + "\\] \\[INFO\\] The old master \\(pid:" + old.masterPid()
                        + "\\) is gone; this master takes over");
                JcornProcess.sleep(300);
            }
            assertEquals(0, load.failures(), "outcomes: " + load);
            assertEquals(newMaster + "\n", Files.readString(pidfile));
            assertFalse(Files.exists(Path.of(pidfile + ".2")));
            assertTrue(Files.exists(socket), "the new master still serves on the unix socket");
            assertEquals(200, Http.get(url, "/").status());
            assertEquals(200, Http.get("unix:" + socket, "/").status());
            // The old master's output is closed by now: ask until the new master has taken the socket over.
            JcornProcess.Ctl status = old.ctl("--json", "status");
            for (int i = 0; i < 20 && status.exit() != 0; i++) status = old.ctl("--json", "status");
            assertTrue(status.output().contains("{\"pid\":" + newMaster + ","), "the new master answers jcorn ctl: " + status.output());
            JcornProcess.kill("TERM", newMaster);
            for (int i = 0; i < 200 && Upgrade.alive(newMaster); i++) JcornProcess.sleep(50);
            assertFalse(Upgrade.alive(newMaster));
            assertFalse(Files.exists(pidfile));
            assertFalse(Files.exists(socket));
        }
    }
}
