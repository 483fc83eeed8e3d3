package io.jcorn.protocol.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class RequestHeadTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Host                | HTTP_HOST",
            "user-agent          | HTTP_USER_AGENT",
            "X-Custom-Thing      | HTTP_X_CUSTOM_THING",
            "x-MiXeD_9           | HTTP_X_MIXED_9",
            "Content-Type        | CONTENT_TYPE",
            "content-length      | CONTENT_LENGTH",
            "CONTENT-TYPE        | CONTENT_TYPE",
            "Content_Type        | HTTP_CONTENT_TYPE",
            "content_length      | HTTP_CONTENT_LENGTH",
            "Content-Lengths     | HTTP_CONTENT_LENGTHS",
    })
    void environKeyIsTheCgiName(String name, String key) {
        assertEquals(key, RequestHead.environKey(name));
    }

    @Test
    void parsedFieldsCarryNamesValuesAndKeysInOrder() throws Exception {
        String raw = "GET /a?b HTTP/1.1\r\nHost: h\r\nX-One: 1\r\ncontent-type: text/plain\r\nX-One: 2\r\n\r\n";
        RequestHead head = new HttpParser(ParserOptions.DEFAULT)
                .parse(new RequestInput(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1))));
        assertEquals(4, head.fieldCount());
        assertEquals(List.of("Host", "X-One", "content-type", "X-One"),
                List.of(head.fieldName(0), head.fieldName(1), head.fieldName(2), head.fieldName(3)));
        assertEquals(List.of("h", "1", "text/plain", "2"),
                List.of(head.fieldValue(0), head.fieldValue(1), head.fieldValue(2), head.fieldValue(3)));
        assertEquals(List.of("HTTP_HOST", "HTTP_X_ONE", "CONTENT_TYPE", "HTTP_X_ONE"),
                List.of(head.environKey(0), head.environKey(1), head.environKey(2), head.environKey(3)));
        assertEquals("1", head.header("x-one"));
        assertSame(head.environKey(0), new HttpParser(ParserOptions.DEFAULT)
                .parse(new RequestInput(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1))))
                .environKey(0), "a known name's key is made once, not per request");
    }
}
