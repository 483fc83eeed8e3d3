package io.jcorn.master.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.Environ;
import io.jcorn.protocol.FileWrapper;
import io.jcorn.protocol.StartResponse;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves a file through jcorn.file_wrapper: {@code ?path=FILE[&offset=N][&length=N][&declare=N]},
 * where declare is a Content-Length the app sets itself.
 */
public final class ServesFile implements App {
    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse start) throws Exception {
        Map<String, String> query = new HashMap<>();
        for (String pair : ((String) environ.get(Environ.QUERY_STRING)).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) query.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Content-Type", "application/octet-stream"));
        if (query.containsKey("declare")) headers.add(Map.entry("Content-Length", query.get("declare")));
        FileChannel file = FileChannel.open(Path.of(query.get("path")));
        start.start("200 OK", headers);
        FileWrapper wrapper = (FileWrapper) environ.get(Environ.FILE_WRAPPER);
        return wrapper.wrap(file, Long.parseLong(query.getOrDefault("offset", "0")),
                Long.parseLong(query.getOrDefault("length", "-1")));
    }
}
