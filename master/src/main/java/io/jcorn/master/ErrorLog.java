package io.jcorn.master;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

/**
 * The master's log: stderr by default ({@code logback.xml}), or {@code --error-logfile FILE},
 * which USR1 reopens so that logrotate can move the file away without {@code copytruncate}.
 */
final class ErrorLog {
    private static final String PATTERN = "[%d{yyyy-MM-dd HH:mm:ss Z}] [${jcorn.pid}] [%replace(%level){'WARN','WARNING'}] %msg%n";
    private static FileAppender<ILoggingEvent> file;
    private static int workerUid = -1, workerGid = -1;

    private ErrorLog() {}

    /** Workers that run as another user (--user/--group) open the file too: it must be theirs. */
    static void configure(String path, String level, int uid, int gid) {
        configure(path, level);
        workerUid = uid;
        workerGid = gid;
        handOver();
    }

    static void configure(String path, String level) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(switch (level) {
            case "debug" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "error", "critical" -> Level.ERROR;
            default -> Level.INFO;
        });
        if (path.equals("-")) return;
        LoggerContext context = root.getLoggerContext();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN.replace("${jcorn.pid}", System.getProperty("jcorn.pid")));
        encoder.start();
        file = new FileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(path);
        file.setAppend(true);
        file.setEncoder(encoder);
        file.start();
        root.detachAndStopAllAppenders();
        root.addAppender(file);
    }

    /** --log-config: the operator's logback XML replaces jcorn's own set-up of the master's log. */
    static void configureFrom(java.nio.file.Path xml, picocli.CommandLine cli) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        ch.qos.logback.classic.joran.JoranConfigurator configurator = new ch.qos.logback.classic.joran.JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(xml.toFile());
        } catch (ch.qos.logback.core.joran.spi.JoranException e) {
            // the status list below says why
        }
        for (ch.qos.logback.core.status.Status status : context.getStatusManager().getCopyOfStatusList()) {
            if (status.getEffectiveLevel() >= ch.qos.logback.core.status.Status.ERROR) {
                throw new picocli.CommandLine.ParameterException(cli, "--log-config " + xml + ": " + status.getMessage());
            }
        }
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
