package io.jcorn.worker.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few DER structures a key file holds: enough to read a PKCS#1, SEC1 or PKCS#8 key's outline
 * and to wrap the first two in the third, which is the one form the JDK's key factories take.
 * The JDK decodes the key itself; this only moves its bytes between envelopes.
 */
final class Der {
    static final int INTEGER = 0x02, OCTET_STRING = 0x04, NULL = 0x05, OID = 0x06, SEQUENCE = 0x30;
    /** {@code [0]}, as SEC1 tags a key's curve. */
    static final int CONTEXT_0 = 0xa0;

    /** One element: its tag and its contents. */
    record Element(int tag, byte[] contents) {
        /** The elements of a constructed element (a SEQUENCE, an explicit tag). */
        List<Element> children() throws MalformedException {
            return parseAll(contents);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Element e && e.tag == tag && Arrays.equals(e.contents, contents);
        }

        @Override
        public int hashCode() {
            return 31 * tag + Arrays.hashCode(contents);
        }

        @Override
        public String toString() {
            return "Element[tag=0x" + Integer.toHexString(tag) + ", " + contents.length + " bytes]";
        }
    }

    /** What cannot be read as DER. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    private Der() {}

    /** The one element {@code der} holds, nothing after it. */
    static Element parse(byte[] der) throws MalformedException {
        List<Element> all = parseAll(der);
        if (all.size() != 1) throw new MalformedException("expected one DER element, found " + all.size());
        return all.getFirst();
    }

    /** The first element {@code der} holds, whatever follows it. */
    static Element parseFirst(byte[] der) throws MalformedException {
        List<Element> all = parseAll(der);
        if (all.isEmpty()) throw new MalformedException("no DER element");
        return all.getFirst();
    }

    private static List<Element> parseAll(byte[] der) throws MalformedException {
        List<Element> elements = new ArrayList<>();
        int at = 0;
        while (at < der.length) {
            if (der.length - at < 2) throw new MalformedException("truncated DER element");
            int tag = der[at] & 0xff;
            if ((tag & 0x1f) == 0x1f) throw new MalformedException("multi-byte DER tags are not used in keys");
            int first = der[at + 1] & 0xff;
            int length, header;
            if (first < 0x80) {
                length = first;
                header = 2;
            } else {
                int bytes = first & 0x7f;
                if (bytes == 0 || bytes > 3 || at + 2 + bytes > der.length) throw new MalformedException("bad DER length");
                length = 0;
                for (int i = 0; i < bytes; i++) length = (length << 8) | (der[at + 2 + i] & 0xff);
                header = 2 + bytes;
            }
            if (length > der.length - at - header) throw new MalformedException("DER length past the end");
            elements.add(new Element(tag, Arrays.copyOfRange(der, at + header, at + header + length)));
            at += header + length;
        }
        return elements;
    }

    /**
     * The elements of the SEQUENCE {@code der} holds.
     *
     * @throws MalformedException if it holds something else, or is not DER
     */
    static List<Element> sequence(byte[] der) throws MalformedException {
        Element outer = parse(der);
        if (outer.tag() != SEQUENCE) throw new MalformedException("not a DER SEQUENCE");
        return outer.children();
    }

    /** A DER element of {@code tag} around {@code contents}. */
    static byte[] encode(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : contents) body.writeBytes(part);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 6);
        out.write(tag);
        int length = body.size();
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    static byte[] encode(Element element) {
        return encode(element.tag(), element.contents());
    }

    /** An OBJECT IDENTIFIER in its dotted form, e.g. {@code 1.2.840.10045.3.1.7}. */
    static String oid(Element element) throws MalformedException {
        if (element.tag() != OID || element.contents().length == 0) throw new MalformedException("not an OBJECT IDENTIFIER");
        byte[] bytes = element.contents();
        StringBuilder dotted = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (byte b : bytes) {
            value = (value << 7) | (b & 0x7f);
            if ((b & 0x80) != 0) continue;
            if (first) {
                int arc = (int) Math.min(2, value / 40);
                dotted.append(arc).append('.').append(value - 40L * arc);
                first = false;
            } else {
                dotted.append('.').append(value);
            }
            value = 0;
        }
        return dotted.toString();
    }
}
