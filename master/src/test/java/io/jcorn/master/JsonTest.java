package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {
    @Test
    void whatIsWrittenReadsBack() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("ok", true);
        value.put("n", 42L);
        value.put("x", 1.5);
        value.put("none", null);
        value.put("text", "quote \" backslash \\ newline \n tab \t é");
        value.put("list", Arrays.asList(1L, "two", List.of(), Map.of()));
        String json = Json.write(value);
        assertEquals(1, json.lines().count(), "one line: " + json);
        assertEquals(value, Json.parse(json));
    }

    @Test
    void spacesAreAllowedAndGarbageIsNot() {
        assertEquals(Map.of("a", List.of(1L, 2L)), Json.parse(" { \"a\" : [ 1 , 2 ] } "));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse(""));
    }
}
