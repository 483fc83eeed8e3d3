package io.jcorn.protocol;

import java.util.Map;

/**
 * A web application, as jcorn calls it: jcorn's counterpart of PEP 3333's {@code application}.
 *
 * <p>For every request the worker builds an {@code environ} (the keys are listed in {@link Environ}
 * and {@code protocol/SPEC.md}), calls {@link #call}, and writes the returned body. The app must call
 * {@code startResponse} before returning the body, or before the body's first element is produced.
 *
 * <p>The returned iterable holds {@code byte[]} or {@link java.nio.ByteBuffer} elements, written in
 * order as they are produced. If it implements {@link AutoCloseable}, the worker closes it after the
 * response, whether the response completed or not. A file is best returned as the
 * {@link FileRegion} that {@code jcorn.file_wrapper} ({@link FileWrapper}) makes: it is sent with sendfile.
 *
 * <p>jcorn names an app on its command line as {@code pkg.Class} (a public no-argument constructor)
 * or {@code pkg.Class::member} (a static field, or a static no-argument method, holding an App).
 */
@FunctionalInterface
public interface App {

    /**
     * Answers one request.
     *
     * @param environ       the request, as CGI-style keys and {@code jcorn.*} extensions
     * @param startResponse takes the status line and headers
     * @return the response body: an iterable of {@code byte[]} or {@code ByteBuffer}
     * @throws Exception anything; the worker logs it and answers 500 if no header was sent yet
     */
    Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) throws Exception;
}
