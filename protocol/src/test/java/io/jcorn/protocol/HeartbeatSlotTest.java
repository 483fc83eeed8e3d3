package io.jcorn.protocol;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HeartbeatSlotTest {

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void createFile() throws IOException {
        file = Files.createFile(dir.resolve("slot"));
    }

    /** The slot file as the master sees it, in the documented layout. */
    private ByteBuffer bytes() throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
    }

    @Test
    void mappingGrowsTheFileToOnePage() throws IOException {
        HeartbeatSlot.map(file);
        assertEquals(HeartbeatSlot.SIZE, Files.size(file));
    }

    @Test
    void freshSlotIsBootingWithNothingSet() throws IOException {
        HeartbeatSlot slot = HeartbeatSlot.map(file);
        assertEquals(0, slot.lastBeat());
        assertEquals(HeartbeatSlot.BOOTING, slot.state());
        assertEquals(0, slot.requests());
        assertEquals(0, slot.requestStart());
        assertEquals("", slot.readMessage());
    }

    @Test
    void idleBeatsAndClearsTheRequestStart() throws IOException {
        HeartbeatSlot slot = HeartbeatSlot.map(file);
        slot.busy(100);
        slot.idle(250);
        assertEquals(HeartbeatSlot.IDLE, slot.state());
        assertEquals(250, slot.lastBeat());
        assertEquals(0, slot.requestStart());
    }

    @Test
    void busyBeatsAndRecordsTheRequestStart() throws IOException {
        HeartbeatSlot slot = HeartbeatSlot.map(file);
        slot.idle(100);
        slot.busy(300);
        assertEquals(HeartbeatSlot.BUSY, slot.state());
        assertEquals(300, slot.lastBeat());
        assertEquals(300, slot.requestStart());
    }

    @Test
    void countRequestCounts() throws IOException {
        HeartbeatSlot slot = HeartbeatSlot.map(file);
        for (int i = 0; i < 5; i++) slot.countRequest();
        assertEquals(5, slot.requests());
    }

    @Test
    void aSecondMappingSeesTheWrites() throws IOException {
        HeartbeatSlot worker = HeartbeatSlot.map(file);
        HeartbeatSlot master = HeartbeatSlot.map(file);
        worker.busy(System.nanoTime());
        long beat = master.lastBeat();
        worker.countRequest();
        worker.idle(beat + 1);
        worker.writeMessage("boom");
        assertEquals(beat + 1, master.lastBeat());
        assertEquals(HeartbeatSlot.IDLE, master.state());
        assertEquals(1, master.requests());
        assertEquals("boom", master.readMessage());
    }

    @Test
    void fileHasTheDocumentedLayout() throws IOException {
        HeartbeatSlot slot = HeartbeatSlot.map(file);
        slot.busy(0x1122334455667788L);
        slot.countRequest();
        slot.countRequest();
        slot.writeMessage("why");
        ByteBuffer page = bytes();
        assertEquals(0x1122334455667788L, page.getLong(0), "last beat at 0");
        assertEquals(HeartbeatSlot.BUSY, page.getLong(8), "state at 8");
        assertEquals(2, page.getLong(16), "requests at 16");
        assertEquals(0x1122334455667788L, page.getLong(24), "request start at 24");
        assertEquals("why", StandardCharsets.UTF_8.decode(page.slice(64, 3)).toString(), "message at 64");
        assertEquals(0, page.get(67), "message is NUL-terminated");
    }

    @Test
    void messageRoundTripsUtf8() throws IOException {
        HeartbeatSlot slot = HeartbeatSlot.map(file);
        String message = "Failed to find application class 'café.Ünïcode' \u2013 \uD83D\uDE80";
        slot.writeMessage(message);
        assertEquals(message, slot.readMessage());
    }

    @Test
    void shorterMessageReplacesLongerOne() throws IOException {
        HeartbeatSlot slot = HeartbeatSlot.map(file);
        slot.writeMessage("a rather long first message");
        slot.writeMessage("short");
        assertEquals("short", slot.readMessage());
    }

    @Test
    void overlongMessageIsCutToTheFirstPage() throws IOException {
        HeartbeatSlot slot = HeartbeatSlot.map(file);
        int room = 4096 - 64 - 1;
        slot.writeMessage("m".repeat(room + 500));
        assertEquals("m".repeat(room), slot.readMessage());
        assertEquals(0, bytes().get(4096 - 1), "the last byte of the page stays the terminator");
        assertEquals(null, slot.score().current(), "the score on the next page is untouched");
    }

    @Test
    void messageDoesNotTouchTheCounters() throws IOException {
        HeartbeatSlot slot = HeartbeatSlot.map(file);
        slot.idle(77);
        slot.countRequest();
        slot.writeMessage("x".repeat(10_000));
        assertEquals(77, slot.lastBeat());
        assertEquals(HeartbeatSlot.IDLE, slot.state());
        assertEquals(1, slot.requests());
    }

    @Test
    void missingFileIsAnIOException() {
        assertThrows(IOException.class, () -> HeartbeatSlot.map(dir.resolve("absent")));
    }
}
