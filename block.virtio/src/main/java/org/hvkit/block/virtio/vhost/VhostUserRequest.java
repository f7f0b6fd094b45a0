package org.hvkit.block.virtio.vhost;

/**
 * The front-end requests a vhost-user-blk back-end serves (QEMU docs/interop/vhost-user.rst),
 * with their codes. Requests not listed here are refused: the back-end offers no feature that
 * would make a front-end send them.
 */
enum VhostUserRequest {
    GET_FEATURES(1),
    SET_FEATURES(2),
    SET_OWNER(3),
    RESET_OWNER(4),
    SET_MEM_TABLE(5),
    SET_VRING_NUM(8),
    SET_VRING_ADDR(9),
    SET_VRING_BASE(10),
    GET_VRING_BASE(11),
    SET_VRING_KICK(12),
    SET_VRING_CALL(13),
    SET_VRING_ERR(14),
    GET_PROTOCOL_FEATURES(15),
    SET_PROTOCOL_FEATURES(16),
    GET_QUEUE_NUM(17),
    SET_VRING_ENABLE(18),
    GET_CONFIG(24),
    SET_CONFIG(25);

    private static final VhostUserRequest[] BY_CODE = new VhostUserRequest[26];

    static {
        for (VhostUserRequest r : values()) {
            BY_CODE[r.code] = r;
        }
    }

    private final int code;

    VhostUserRequest(int code) {
        this.code = code;
    }

    /** The request code on the wire. */
    int code() {
        return code;
    }

    /**
     * The request with this code.
     *
     * @param code the header's request field
     * @return the request, or null if this back-end does not serve it
     */
    static VhostUserRequest of(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
