package io.jcorn.master.syslog;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

import java.io.IOException;

/**
 * The master's log lines to syslog ({@code --syslog}), beside its error log: each event as
 * Gunicorn's syslog handler formats it ({@link SyslogMessage}), a stack trace following its
 * message as Python's formatter appends one. When syslog cannot be reached, one line says so on
 * stderr, and the next after it can be again; the lines in between are not sent (Python prints a
 * "--- Logging error ---" block for each).
 */
public final class SyslogAppender extends AppenderBase<ILoggingEvent> {
    private final SyslogSender sender;
    private final int facility;
    private final String tag;
    private final long pid;
    private boolean failing;

    /**
     * @param facility a {@link SyslogMessage#facility(String)} code
     * @param tag      {@link SyslogMessage#tag(String, String, String)} for the "error" log
     */
    public SyslogAppender(SyslogSender sender, int facility, String tag, long pid) {
        this.sender = sender;
        this.facility = facility;
        this.tag = tag;
        this.pid = pid;
        setName("SYSLOG");
    }

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (event.getThrowableProxy() != null) message += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
        send(SyslogMessage.format(facility, SyslogMessage.Severity.of(event.getLevel().toString()), tag, pid, message));
    }

    private void send(byte[] message) {
        try {
            sender.send(message);
            if (failing) System.err.println("jcorn: syslog " + SyslogSender.describe(sender.address()) + " takes log lines again");
            failing = false;
        } catch (IOException e) {
            if (!failing) System.err.println("jcorn: " + e.getMessage() + "; log lines are not sent to syslog until it works again");
            failing = true;
        }
    }

    @Override
    public void stop() {
        super.stop();
        try {
            sender.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
