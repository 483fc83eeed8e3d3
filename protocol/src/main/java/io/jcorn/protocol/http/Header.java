package io.jcorn.protocol.http;

/** One header field as received: the name's case kept, the value without surrounding whitespace. */
public record Header(String name, String value) {}
