package io.jcorn.master.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.Environ;
import io.jcorn.protocol.StartResponse;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * PEP 3333's start_response and body rules, one path each. Every body logs "closed PATH" to
 * jcorn.errors when the worker closes it, so a test can see that close() came in every case.
 */
public final class ResponseRules implements App {
    private static final List<Map.Entry<String, String>> TEXT = List.of(Map.entry("Content-Type", "text/plain"));

    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse start) {
        String path = (String) environ.get(Environ.PATH_INFO);
        PrintStream log = (PrintStream) environ.get(Environ.ERRORS);
        return switch (path) {
            case "/normal" -> {
                start.start("200 OK", TEXT);
                yield new Body(path, log, "one,", "two");
            }
            case "/empty-then-fail" -> {
                // an empty element sends nothing, headers included: the failure after it can still be a 500
                start.start("200 OK", TEXT);
                yield new Body(path, log, "", null);
            }
            case "/fail-mid" -> {
                // the headers and "partial" are out: the failure can only cut the response short
                start.start("200 OK", TEXT);
                yield new Body(path, log, "partial", null);
            }
            case "/replace" -> {
                start.start("200 OK", TEXT);
                try {
                    throw new IllegalStateException("the page could not be made");
                } catch (IllegalStateException e) {
                    start.start("503 Service Unavailable", TEXT, e);
                    yield new Body(path, log, "sorry");
                }
            }
            case "/twice" -> {
                start.start("200 OK", TEXT);
                start.start("201 Created", TEXT);
                yield new Body(path, log, "never sent");
            }
            case "/exc-after-headers" -> {
                start.start("200 OK", TEXT);
                yield new Body(path, log, "partial", "late") {
                    private boolean first = true;

                    @Override
                    public Object next() {
                        if (!first) {
                            // PEP 3333: with the headers out, start_response rethrows the error it is given
                            start.start("500 Internal Server Error", TEXT, new IllegalStateException("too late to replace"));
                        }
                        first = false;
                        return super.next();
                    }
                };
            }
            case "/endless" -> {
                // a client that goes away mid-body: the writes fail, the worker stops and closes
                start.start("200 OK", TEXT);
                yield new Endless(path, log);
            }
            default -> {
                start.start("404 Not Found", TEXT);
                yield new Body(path, log);
            }
        };
    }

    /** The given parts in order as bytes; a null part throws when reached. */
    static class Body implements Iterable<Object>, Iterator<Object>, AutoCloseable {
        private final String path;
        private final PrintStream log;
        private final String[] parts;
        private int next;

        Body(String path, PrintStream log, String... parts) {
            this.path = path;
            this.log = log;
            this.parts = parts;
        }

        @Override
        public Iterator<Object> iterator() {
            return this;
        }

        @Override
        public boolean hasNext() {
            return next < parts.length;
        }

        @Override
        public Object next() {
            if (!hasNext()) throw new NoSuchElementException();
            String part = parts[next++];
            if (part == null) throw new IllegalStateException("the body failed at part " + next);
            return part.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            log.println("closed " + path);
            log.flush();
        }
    }

    /** 64 KiB blocks without end. */
    static final class Endless extends Body {
        private static final byte[] BLOCK = new byte[64 * 1024];

        Endless(String path, PrintStream log) {
            super(path, log);
        }

        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public Object next() {
            return BLOCK;
        }
    }
}
