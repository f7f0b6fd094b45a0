package org.hvkit.block.virtio.vhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KickChannelTest {

    @Test
    void shouldMakeTheSelectorWaitOnTheEventfdItself() throws IOException {
        try (TestEventfd kick = new TestEventfd(); Selector selector = Selector.open();
                KickChannel channel = KickChannel.adopt(kick.dupFd())) {
            channel.channel().register(selector, SelectionKey.OP_READ);
            assertEquals(0, selector.selectNow(), "nothing kicked yet");

            kick.signal();
            assertEquals(1, selector.select(5_000), "the kick makes the channel readable");
            selector.selectedKeys().clear();

            channel.clear();
            assertEquals(0, selector.selectNow(), "clear consumed the kick");

            kick.signal();
            kick.signal();
            assertEquals(1, selector.select(5_000));
            selector.selectedKeys().clear();
            channel.clear();
            assertEquals(0, selector.selectNow(), "one clear consumes every pending kick");
        }
    }

    @Test
    void shouldCloseTheDescriptorItWasGivenAndOwnItsCopy() throws IOException {
        TestEventfd kick = new TestEventfd();
        try {
            FileDescriptor given = kick.dupFd();
            int givenNumber = Descriptors.number(given);
            KickChannel channel = KickChannel.adopt(given);
            assertFalse(given.valid(), "the given descriptor is closed");
            Path copy = Path.of("/proc/self/fd/" + channel.number());
            assertTrue(Files.readSymbolicLink(copy).toString().contains("eventfd"),
                    "the channel's number now names the eventfd: " + Files.readSymbolicLink(copy));
            assertTrue(givenNumber != channel.number());
            assertTrue(channel.channel().isOpen() && !channel.channel().isBlocking());

            channel.close();
            assertFalse(Files.exists(copy, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && isEventfd(copy), "closing the channel closes its copy of the eventfd");
        } finally {
            kick.close();
        }
    }

    @Test
    void shouldRefuseADescriptorThatIsNotOpenAndLeaveNoPipeBehind() throws IOException {
        long pipesBefore = pipes();
        FileDescriptor closed = new FileDescriptor();
        assertThrows(IOException.class, () -> KickChannel.adopt(closed));
        assertEquals(pipesBefore, pipes(), "the probe pipe is closed again");
    }

    @Test
    void shouldRefuseADescriptorThatIsNotAnEventfd() throws IOException {
        try (java.io.FileInputStream file = new java.io.FileInputStream("/proc/self/stat")) {
            FileDescriptor fd = file.getFD();
            IOException refused = assertThrows(IOException.class, () -> KickChannel.adopt(fd));
            assertTrue(refused.getMessage().contains("not an eventfd"), refused.getMessage());
            assertFalse(fd.valid(), "closed, as every descriptor adopt is given");
        }
    }

    @Test
    void shouldFindItsPipeAmongOtherPipesHoldingData() throws IOException {
        Pipe[] others = new Pipe[8];
        try (TestEventfd kick = new TestEventfd()) {
            for (int i = 0; i < others.length; i++) {
                others[i] = Pipe.open();
                others[i].sink().write(java.nio.ByteBuffer.allocate(1 + i * 500));
            }
            for (int i = 0; i < 20; i++) {
                try (KickChannel channel = KickChannel.adopt(kick.dupFd())) {
                    assertTrue(Files.readSymbolicLink(Path.of("/proc/self/fd/" + channel.number())).toString()
                            .contains("eventfd"));
                }
            }
            for (int i = 0; i < others.length; i++) {
                assertEquals(1 + i * 500, others[i].source().read(java.nio.ByteBuffer.allocate(4096)),
                        "the probe takes nothing from another pipe");
            }
        } finally {
            for (Pipe p : others) {
                if (p != null) {
                    p.source().close();
                    p.sink().close();
                }
            }
        }
    }

    private static boolean isEventfd(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().contains("eventfd");
        } catch (IOException e) {
            return false;
        }
    }

    private static long pipes() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("pipe:");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
