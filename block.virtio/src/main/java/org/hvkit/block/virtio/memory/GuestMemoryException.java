package org.hvkit.block.virtio.memory;

/**
 * A guest-physical access outside guest RAM. Device code catches it where it parses guest
 * structures and turns it into an error status or a device reset; it never escapes a
 * queue handler.
 */
public final class GuestMemoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param address the guest-physical address of the access
     * @param length its length in bytes
     */
    public GuestMemoryException(long address, long length) {
        super(String.format("guest access of %d bytes at 0x%x is outside guest RAM", length, address));
    }
}
