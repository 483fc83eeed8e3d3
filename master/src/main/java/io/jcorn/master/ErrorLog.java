package io.jcorn.master;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The master's log: stderr by default ({@code logback.xml}), or {@code --error-logfile FILE},
 * which USR1 reopens so that logrotate can move the file away without {@code copytruncate}, or
 * the operator's logback XML ({@code --log-config}). HUP sets it up again from the settings read
 * again, as Gunicorn 26.1 does.
 */
final class ErrorLog {
    private static final String PATTERN = "[%d{yyyy-MM-dd HH:mm:ss Z}] [${jcorn.pid}] [%replace(%level){'WARN','WARNING'}] %msg%n";
    private static FileAppender<ILoggingEvent> file;
    private static int workerUid = -1, workerGid = -1;

    private ErrorLog() {}

    /**
     * The master's log as {@code config} says, at start-up: {@code --log-config}'s XML, else
     * {@code --error-logfile} at {@code --log-level}. Workers that run as another user
     * ({@code --user/--group}) open the file too: it is made theirs.
     */
    static void configure(Config config) {
        if (config.logConfig() != null) configureFrom(config.logConfig());
        else configure(config.errorLog(), config.logLevel());
        workerUid = config.workerUid();
        workerGid = config.workerGid();
        handOver();
    }

    /** HUP: the master's log set up anew from settings read again (and checked: see {@link #check}). */
    static void reconfigure(Config config) {
        LoggerContext context = context();
        context.reset(); // stops and forgets every appender, the error log file's included
        file = null;
        if (config.logConfig() == null) {
            try {
                new ch.qos.logback.classic.util.ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                System.err.println("jcorn: the default log set-up failed: " + e.getMessage());
            }
        }
        configure(config);
    }

    /**
     * Why the logback XML {@code xml} cannot set up the master's log, or null if it can: it is
     * tried on a logging context of its own, so that a bad file leaves the log in use untouched.
     */
    static String check(Path xml) {
        LoggerContext trial = new LoggerContext();
        try {
            load(trial, xml);
            return firstError(trial);
        } finally {
            trial.stop();
        }
    }

    private static void configure(String path, String level) {
        Logger root = context().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(switch (level) {
            case "debug" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "error", "critical" -> Level.ERROR;
            default -> Level.INFO;
        });
        if (path.equals("-")) return;
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(root.getLoggerContext());
        encoder.setPattern(PATTERN.replace("${jcorn.pid}", System.getProperty("jcorn.pid")));
        encoder.start();
        file = new FileAppender<>();
        file.setContext(root.getLoggerContext());
        file.setName("FILE");
        file.setFile(path);
        file.setAppend(true);
        file.setEncoder(encoder);
        file.start();
        root.detachAndStopAllAppenders();
        root.addAppender(file);
    }

    /** --log-config: the operator's logback XML replaces jcorn's own set-up of the master's log. */
    private static void configureFrom(Path xml) {
        LoggerContext context = context();
        context.reset();
        load(context, xml);
        String error = firstError(context);
        if (error != null) System.err.println("jcorn: --log-config " + xml + ": " + error);
    }

    private static void load(LoggerContext context, Path xml) {
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(xml.toFile());
        } catch (JoranException e) {
            // the status list says why
        }
    }

    private static String firstError(LoggerContext context) {
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            if (status.getEffectiveLevel() >= Status.ERROR) return status.getMessage();
        }
        return null;
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    /** USR1: closes and reopens the log file (a no-op on stderr). */
    static void reopen() {
        if (file == null) return;
        file.stop();
        file.start();
        handOver();
    }

    private static void handOver() {
        if (file != null) handOver(file.getFile(), workerUid, workerGid);
    }

    /** A file the workers open too (this log, the access log) is theirs when they run as another user. */
    static void handOver(String path, int uid, int gid) {
        if (path == null || path.equals("-") || (uid < 0 && gid < 0)) return;
        jnr.posix.POSIXFactory.getNativePOSIX().chown(path, uid, gid);
    }
}
