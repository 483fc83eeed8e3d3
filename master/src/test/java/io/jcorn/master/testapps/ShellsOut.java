package io.jcorn.master.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Shells out on each request as apps do, leaving a background process behind: {@code sh} exits at
 * once and its {@code sleep} is orphaned, re-parented to the pid namespace's init. With
 * {@code ?exit=N} the orphan exits with N once its sleep is over.
 */
public final class ShellsOut implements App {
    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        String query = (String) environ.get("QUERY_STRING");
        String orphan = query.startsWith("exit=") ? "(sleep 0.2; exit " + Integer.parseInt(query.substring(5)) + ")" : "sleep 0.2";
        int code;
        try {
            code = new ProcessBuilder("sh", "-c", orphan + " & exit 0").inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        startResponse.start("200 OK", List.of(Map.entry("Content-Type", "text/plain")));
        return List.of(("sh exited with " + code).getBytes(StandardCharsets.UTF_8));
    }
}
