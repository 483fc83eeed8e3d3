package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EnvironContractIT {

    @Test
    void echoSeesTheRequestAsSpecSaysAndTheWholeBody() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Echo")) {
            String body = "name=j\u00e9corn&x=1";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Http.Response response = Http.send(jcorn.address(),
                    "POST /caf%C3%A9/a%20b?q=1&r=%20 HTTP/1.1\r\n"
                            + "Host: example.test:8080\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\n"
                            + "Content-Length: " + bytes.length + "\r\n"
                            + "X-Multi: one\r\n"
                            + "X_Sneaky: dropped\r\n"
                            + "User-Agent: test\r\n"
                            + "X-Multi: two\r\n"
                            + "\r\n" + new String(bytes, StandardCharsets.ISO_8859_1));
            assertEquals(200, response.status());
            assertEquals("application/json", response.header("Content-Type"));
            assertEquals(String.valueOf(response.raw().length() - response.raw().indexOf("\r\n\r\n") - 4),
                    response.header("Content-Length"));
            assertEquals("POST", response.environ("REQUEST_METHOD"));
            assertEquals("", response.environ("SCRIPT_NAME"));
            assertEquals("/caf\u00e9/a b", response.environ("PATH_INFO"));
            assertEquals("q=1&r=%20", response.environ("QUERY_STRING"));
            assertEquals("/caf%C3%A9/a%20b?q=1&r=%20", response.environ("RAW_URI"));
            assertEquals("application/x-www-form-urlencoded", response.environ("CONTENT_TYPE"));
            assertEquals(String.valueOf(bytes.length), response.environ("CONTENT_LENGTH"));
            assertEquals("example.test", response.environ("SERVER_NAME"));
            assertEquals("8080", response.environ("SERVER_PORT"));
            assertEquals("HTTP/1.1", response.environ("SERVER_PROTOCOL"));
            assertEquals("127.0.0.1", response.environ("REMOTE_ADDR"));
            assertEquals("one,two", response.environ("HTTP_X_MULTI"));
            assertEquals("test", response.environ("HTTP_USER_AGENT"));
            assertNull(response.environ("HTTP_X_SNEAKY"));
            assertNull(response.environ("HTTP_CONTENT_TYPE"));
            assertEquals("http", response.environ("jcorn.url_scheme"));
            assertEquals(body, new String(Base64.getDecoder().decode(response.environ("body_b64") == null
                    ? bodyB64(response.body()) : response.environ("body_b64")), StandardCharsets.UTF_8));
        }
    }

    private static String bodyB64(String json) {
        int start = json.indexOf("\"body_b64\": \"") + 13;
        return json.substring(start, json.indexOf('"', start));
    }
}
