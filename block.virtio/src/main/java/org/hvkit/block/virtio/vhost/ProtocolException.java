package org.hvkit.block.virtio.vhost;

/**
 * A message the front-end should not have sent: malformed, out of range, or out of order.
 * The connection that carried it is closed; the device and the listener keep running.
 */
final class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
        super(message, null, false, false);
    }
}
