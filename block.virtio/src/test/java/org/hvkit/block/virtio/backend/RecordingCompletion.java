package org.hvkit.block.virtio.backend;

/** Remembers how often it was called and the last status. */
final class RecordingCompletion implements BlockCompletion {

    int calls;
    int status = -1;

    @Override
    public void complete(int status) {
        calls++;
        this.status = status;
    }
}
