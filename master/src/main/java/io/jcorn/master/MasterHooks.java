package io.jcorn.master;

import io.jcorn.protocol.AppClasspath;
import io.jcorn.protocol.Hooks;
import io.jcorn.protocol.ServerHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * The master's side of {@code --hooks}: the class comes from the app's classpath, in a class
 * loader of its own (the master has no app loaded), whose parent holds jcorn's protocol classes.
 */
final class MasterHooks {
    private static final Logger log = LoggerFactory.getLogger(MasterHooks.class);

    private MasterHooks() {}

    /** @throws IllegalArgumentException if the class cannot be loaded; the message says why */
    static Hooks load(Config config) {
        if (config.hooks() == null) return Hooks.NONE;
        // A relative classpath means the same to the master as to the workers, which start in --chdir.
        Path base = config.chdir() != null ? config.chdir() : Path.of("");
        ClassLoader loader = new URLClassLoader("hooks", AppClasspath.urls(config.classpath(), base),
                ServerHooks.class.getClassLoader());
        Hooks hooks = Hooks.load(config.hooks(), loader, (hook, e) -> log.error("Hook {} failed", hook, e));
        log.info("Using server hooks: {}", config.hooks());
        return hooks;
    }
}
