package org.hvkit.block.virtio.vhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.hvkit.block.virtio.blk.VirtioBlkConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each malformed or out-of-order message closes its connection, nothing is thrown out of the
 * listener, and the next front-end is served from a reset device.
 */
@Timeout(60)
class MalformedMessageTest {

    /** What a test sends on a connection that has done the handshake (or not, see {@link Case}). */
    interface Sender {
        void send(VhostUserFrontEnd f, TestEventfd spare) throws Exception;
    }

    record Case(boolean handshake, Sender sender) {
    }

    private ExportFixture export;
    private SharedRam ram;

    @BeforeEach
    void setUp() throws Exception {
        export = new ExportFixture(2, 1);
        ram = new SharedRam(1 << 20);
    }

    @AfterEach
    void tearDown() throws Exception {
        export.close();
        ram.close();
    }

    private static int code(VhostUserRequest r) {
        return r.code();
    }

    private static ByteBuffer bytes(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer addr(int index, long desc, long used, long avail) {
        ByteBuffer b = bytes(40);
        b.putInt(0, index).putLong(8, desc).putLong(16, used).putLong(24, avail);
        return b;
    }

    private static Arguments c(String name, boolean handshake, Sender s) {
        return Arguments.of(name, new Case(handshake, s));
    }

    static Stream<Arguments> cases() {
        int v = VhostUserMessage.VERSION;
        return Stream.of(
                c("unknown request", false, (f, e) -> f.send(99, v, bytes(0))),
                c("request 0", false, (f, e) -> f.send(0, v, bytes(0))),
                c("version 2", false, (f, e) -> f.send(code(VhostUserRequest.GET_FEATURES), 2, bytes(0))),
                c("reply flag from the front-end", false,
                        (f, e) -> f.send(code(VhostUserRequest.GET_FEATURES), v | VhostUserMessage.FLAG_REPLY, bytes(0))),
                c("unknown flag", false, (f, e) -> f.send(code(VhostUserRequest.GET_FEATURES), v | 0x100, bytes(0))),
                c("payload size too large", false, (f, e) -> f.sendRaw(bytes(12).putInt(0, 1).putInt(4, v)
                        .putInt(8, 1 << 20).array())),
                c("negative payload size", false, (f, e) -> f.sendRaw(bytes(12).putInt(0, 1).putInt(4, v)
                        .putInt(8, -1).array())),
                c("GET_FEATURES with a payload", false, (f, e) -> f.send(code(VhostUserRequest.GET_FEATURES), v,
                        bytes(8))),
                c("GET_FEATURES with a descriptor", false, (f, e) -> f.send(code(VhostUserRequest.GET_FEATURES), v,
                        bytes(0), e.fd())),
                c("SET_FEATURES before SET_OWNER", false, (f, e) -> f.send(code(VhostUserRequest.SET_FEATURES), v,
                        VhostUserFrontEnd.u64(0))),
                c("SET_FEATURES not offered", true, (f, e) -> f.send(code(VhostUserRequest.SET_FEATURES), v,
                        VhostUserFrontEnd.u64(1L << 62))),
                c("SET_PROTOCOL_FEATURES not offered", false,
                        (f, e) -> f.send(code(VhostUserRequest.SET_PROTOCOL_FEATURES), v, VhostUserFrontEnd.u64(1L << 40))),
                c("SET_OWNER twice", true, (f, e) -> f.send(code(VhostUserRequest.SET_OWNER), v, bytes(0))),
                c("SET_MEM_TABLE with no region", true, (f, e) -> f.send(code(VhostUserRequest.SET_MEM_TABLE), v,
                        bytes(8))),
                c("SET_MEM_TABLE with 9 regions", true, (f, e) -> f.send(code(VhostUserRequest.SET_MEM_TABLE), v,
                        bytes(8 + 9 * 32).putInt(0, 9))),
                c("SET_MEM_TABLE without its descriptor", true,
                        (f, e) -> f.send(code(VhostUserRequest.SET_MEM_TABLE), v, region(0x100000, 4096, 0))),
                c("SET_MEM_TABLE size and count disagree", true,
                        (f, e) -> f.send(code(VhostUserRequest.SET_MEM_TABLE), v, bytes(8 + 32).putInt(0, 2))),
                c("SET_MEM_TABLE region of size 0", true,
                        (f, e) -> f.send(code(VhostUserRequest.SET_MEM_TABLE), v, region(0x100000, 0, 0), e.fd())),
                c("SET_MEM_TABLE region past the file", true, MalformedMessageTest::regionPastTheFile),
                c("SET_MEM_TABLE region on an eventfd", true,
                        (f, e) -> f.send(code(VhostUserRequest.SET_MEM_TABLE), v, region(0x100000, 4096, 0), e.fd())),
                c("SET_VRING_NUM for vring 2 of 2", true, (f, e) -> f.send(code(VhostUserRequest.SET_VRING_NUM), v,
                        VhostUserFrontEnd.state(2, 16))),
                c("SET_VRING_NUM not a power of two", true,
                        (f, e) -> f.send(code(VhostUserRequest.SET_VRING_NUM), v, VhostUserFrontEnd.state(0, 24))),
                c("SET_VRING_NUM above the maximum", true,
                        (f, e) -> f.send(code(VhostUserRequest.SET_VRING_NUM), v, VhostUserFrontEnd.state(0, 128))),
                c("SET_VRING_NUM short", true, (f, e) -> f.send(code(VhostUserRequest.SET_VRING_NUM), v, bytes(4))),
                c("SET_VRING_ADDR misaligned", true, (f, e) -> f.send(code(VhostUserRequest.SET_VRING_ADDR), v,
                        addr(0, SharedRam.USER_BASE + 8, SharedRam.USER_BASE + 0x1000, SharedRam.USER_BASE + 0x800))),
                c("SET_VRING_ADDR with the log flag", true, (f, e) -> f.send(code(VhostUserRequest.SET_VRING_ADDR), v,
                        addr(0, SharedRam.USER_BASE, SharedRam.USER_BASE + 0x1000, SharedRam.USER_BASE + 0x800)
                                .putInt(4, 1))),
                c("SET_VRING_BASE above 0xffff", true,
                        (f, e) -> f.send(code(VhostUserRequest.SET_VRING_BASE), v, VhostUserFrontEnd.state(0, 0x10000))),
                c("SET_VRING_KICK without a descriptor", true,
                        (f, e) -> f.send(code(VhostUserRequest.SET_VRING_KICK), v, VhostUserFrontEnd.u64(0))),
                c("SET_VRING_KICK asking for polling", true,
                        (f, e) -> f.send(code(VhostUserRequest.SET_VRING_KICK), v, VhostUserFrontEnd.u64(0x100))),
                c("SET_VRING_KICK with unknown bits", true,
                        (f, e) -> f.send(code(VhostUserRequest.SET_VRING_KICK), v, VhostUserFrontEnd.u64(0x200), e.fd())),
                c("SET_VRING_KICK with a file, not an eventfd", true, MalformedMessageTest::kickOnAFile),
                c("SET_VRING_CALL with a file, not an eventfd", true, MalformedMessageTest::callOnAFile),
                c("SET_VRING_CALL for vring 7", true,
                        (f, e) -> f.send(code(VhostUserRequest.SET_VRING_CALL), v, VhostUserFrontEnd.u64(7), e.fd())),
                c("SET_VRING_ENABLE with 2", true,
                        (f, e) -> f.send(code(VhostUserRequest.SET_VRING_ENABLE), v, VhostUserFrontEnd.state(0, 2))),
                c("vring outside the memory table", true, MalformedMessageTest::vringOutsideMemory),
                c("SET_VRING_NUM while the vring runs", true, MalformedMessageTest::resizeRunningVring),
                c("GET_CONFIG past 256 bytes", true, (f, e) -> f.send(code(VhostUserRequest.GET_CONFIG), v,
                        bytes(12 + 16).putInt(0, 250).putInt(4, 16))),
                c("GET_CONFIG size and payload disagree", true, (f, e) -> f.send(code(VhostUserRequest.GET_CONFIG),
                        v, bytes(12 + 4).putInt(0, 0).putInt(4, 8))),
                c("GET_CONFIG without the CONFIG protocol feature", false,
                        (f, e) -> f.send(code(VhostUserRequest.GET_CONFIG), v, bytes(12 + 8).putInt(4, 8))),
                c("header cut short", false, (f, e) -> f.sendRaw(new byte[] {1, 0, 0, 0, 1, 0})));
    }

    private static ByteBuffer region(long guest, long size, long offset) {
        ByteBuffer b = bytes(8 + 32).putInt(0, 1);
        b.putLong(8, guest).putLong(16, size).putLong(24, SharedRam.USER_BASE).putLong(32, offset);
        return b;
    }

    private static void regionPastTheFile(VhostUserFrontEnd f, TestEventfd e) throws Exception {
        // The shared file has 1 MiB; the table claims 2.
        f.send(code(VhostUserRequest.SET_MEM_TABLE), VhostUserMessage.VERSION, region(0x100000, 2 << 20, 0),
                f.ramFd());
    }

    private static void startVring(VhostUserFrontEnd f, TestEventfd kick, long desc) throws Exception {
        f.sendAcked(VhostUserRequest.SET_VRING_NUM, VhostUserFrontEnd.state(0, 16));
        f.sendAcked(VhostUserRequest.SET_VRING_ADDR, addr(0, desc, desc + 0x400, desc + 0x200));
        f.send(code(VhostUserRequest.SET_VRING_KICK), VhostUserFrontEnd.NEED_REPLY, VhostUserFrontEnd.u64(0),
                kick.fd());
    }

    private static void vringOutsideMemory(VhostUserFrontEnd f, TestEventfd kick) throws Exception {
        startVring(f, kick, SharedRam.USER_BASE + (4L << 20)); // past the 1 MiB of shared RAM
    }

    private static void resizeRunningVring(VhostUserFrontEnd f, TestEventfd kick) throws Exception {
        startVring(f, kick, SharedRam.USER_BASE + 0x10000);
        f.reply(VhostUserRequest.SET_VRING_KICK); // acknowledged: the vring runs
        f.send(code(VhostUserRequest.SET_VRING_NUM), VhostUserMessage.VERSION, VhostUserFrontEnd.state(0, 32));
    }

    private static void kickOnAFile(VhostUserFrontEnd f, TestEventfd unused) throws IOException {
        sendAFile(f, VhostUserRequest.SET_VRING_KICK);
    }

    private static void callOnAFile(VhostUserFrontEnd f, TestEventfd unused) throws IOException {
        sendAFile(f, VhostUserRequest.SET_VRING_CALL);
    }

    private static void sendAFile(VhostUserFrontEnd f, VhostUserRequest request) throws IOException {
        try (FileInputStream file = new FileInputStream("/proc/self/stat")) {
            f.send(code(request), VhostUserMessage.VERSION, VhostUserFrontEnd.u64(0), file.getFD());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldCloseTheConnectionAndServeTheNextFrontEnd(String name, Case c) throws Exception {
        try (TestEventfd spare = new TestEventfd();
                VhostUserFrontEnd bad = VhostUserFrontEnd.connect(export.socket, ram, ExportFixture.QUEUE_SIZE)) {
            if (c.handshake()) {
                bad.handshake();
            }
            c.sender().send(bad, spare);
            if (name.equals("header cut short")) {
                bad.shutdownOutput(); // the rest of the header never comes
            }

            assertThat(bad.closedByPeer()).as("connection closed").isTrue();
        }

        try (VhostUserFrontEnd next = VhostUserFrontEnd.connect(export.socket, ram, ExportFixture.QUEUE_SIZE)) {
            next.handshake();
            assertThat(next.readConfig(VirtioBlkConfig.OFFSET_CAPACITY, 8)).isEqualTo(ExportFixture.CAPACITY / 512);
        }
        assertThat(export.device.queue(0).isRunning()).isFalse();
        assertThat(export.device.status()).isZero();
    }
}
