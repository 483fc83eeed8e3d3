package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --train-aot-cache} trains the workers' AOT cache ahead of the first start (an image build
 * does it once), and the first worker of the master started afterwards boots from it.
 */
class TrainAotCacheIT {
    private static final Pattern READY = Pattern.compile("jcorn: the workers' AOT cache is ready: (\\S+)");
    private static final String TRAINED = "Trained the workers' AOT cache";

    @Test
    void theFirstWorkerBootsFromTheCacheTrainedBeforehand() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "the AOT cache needs JDK 25");
        Path dir = Files.createTempDirectory("jcorn-train");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());

        SettingsIT.Run trained = SettingsIT.jcorn(dir, env, "--train-aot-cache"); // no APP needed
        assertEquals(0, trained.exitCode(), trained.output());
        Path cache = cacheOf(trained);
        assertTrue(cache.startsWith(dir.resolve("cache/jcorn")) && Files.isRegularFile(cache), trained.output());
        assertTrue(trained.output().contains(TRAINED), trained.output());

        SettingsIT.Run again = SettingsIT.jcorn(dir, env, "--train-aot-cache");
        assertEquals(cache, cacheOf(again));
        assertTrue(!again.output().contains(TRAINED), "trained once: " + again.output());

        try (JcornProcess jcorn = JcornProcess.start(env, "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "io.jcorn.examples.Hello")) {
            jcorn.awaitBooted(1);
            assertEquals(200, Http.get(jcorn.address(), "/").status());
            assertEquals(0, jcorn.count(TRAINED), jcorn.output());
            String maps = Files.readString(Path.of("/proc/" + jcorn.workerPid(0) + "/maps"));
            assertTrue(maps.contains(cache.toString()), "the first worker maps " + cache);
        }
    }

    private static Path cacheOf(SettingsIT.Run run) {
        Matcher m = READY.matcher(run.output());
        assertTrue(m.find(), run.output());
        return Path.of(m.group(1));
    }
}
