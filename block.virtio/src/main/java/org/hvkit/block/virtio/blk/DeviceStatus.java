package org.hvkit.block.virtio.blk;

/**
 * The device status field and feature negotiation of one virtio device (virtio 1.2 §2.1,
 * §2.2, §3.1).
 *
 * <p>The driver's writes are handled as the specification asks of a device and as QEMU
 * does: writing 0 resets; FEATURES_OK is refused (left clear, so the driver reads it back
 * clear and gives up) if the driver accepted a feature the device did not offer or did not
 * accept VERSION_1; driver features are ignored once FEATURES_OK is set. The specification
 * forbids a driver to clear bits, so such a write keeps them (bits only accumulate until
 * reset); NEEDS_RESET belongs to the device and a driver's write neither sets nor clears it.
 * The device processes queues only while {@link #isLive()}: DRIVER_OK after FEATURES_OK, and
 * not NEEDS_RESET or FAILED.
 *
 * <p>Thread-safety: none; only the transport's thread (the one that serves the driver's
 * register accesses) calls it. Queue handlers report device errors to that thread, which
 * calls {@link #markNeedsReset()}.
 */
public final class DeviceStatus {

    public static final int ACKNOWLEDGE = 1;
    public static final int DRIVER = 2;
    public static final int DRIVER_OK = 4;
    public static final int FEATURES_OK = 8;
    public static final int NEEDS_RESET = 64;
    public static final int FAILED = 128;

    /** What a status write did, for the transport. */
    public enum WriteResult {
        /** The value was stored (FEATURES_OK included if it was asked for). */
        ACCEPTED,
        /** FEATURES_OK was asked for and refused: the feature set is invalid. */
        FEATURES_REFUSED,
        /** Writing 0 reset the device: the transport resets every queue. */
        RESET
    }

    private final long offered;
    private long driverFeatures;
    private int status;

    /**
     * Creates a device in the reset state.
     *
     * @param offered the features the device offers
     */
    public DeviceStatus(long offered) {
        this.offered = offered;
    }

    /** The device features, as the driver reads them. */
    public long deviceFeatures() {
        return offered;
    }

    /**
     * Stores the driver's accepted features; ignored once FEATURES_OK is set, as the
     * specification lets the driver change them only before.
     *
     * @param features the accepted bits
     * @return true if stored
     */
    public boolean writeDriverFeatures(long features) {
        if ((status & FEATURES_OK) != 0) {
            return false;
        }
        driverFeatures = features;
        return true;
    }

    /** The driver's accepted features as last written. */
    public long driverFeatures() {
        return driverFeatures;
    }

    /**
     * Handles a driver's write of the status field.
     *
     * @param value the byte written
     * @return what happened
     */
    public WriteResult write(int value) {
        int v = value & 0xff;
        if (v == 0) {
            reset();
            return WriteResult.RESET;
        }
        int next = status | (v & ~NEEDS_RESET);
        if ((next & FEATURES_OK) != 0 && (status & FEATURES_OK) == 0 && !featuresAcceptable()) {
            status = next & ~FEATURES_OK;
            return WriteResult.FEATURES_REFUSED;
        }
        status = next;
        return WriteResult.ACCEPTED;
    }

    private boolean featuresAcceptable() {
        return (driverFeatures & ~offered) == 0 && VirtioBlkFeatures.has(driverFeatures, VirtioBlkFeatures.VERSION_1);
    }

    /** Returns to the initial state: status 0, no driver features. */
    public void reset() {
        status = 0;
        driverFeatures = 0;
    }

    /** The status byte as the driver reads it. */
    public int read() {
        return status;
    }

    /**
     * Sets NEEDS_RESET after a device error (a broken queue or a malformed request).
     *
     * @return true if the driver must get a configuration-change notification: the device
     *     was live (DRIVER_OK) and was not already in NEEDS_RESET
     */
    public boolean markNeedsReset() {
        boolean notify = (status & DRIVER_OK) != 0 && (status & NEEDS_RESET) == 0;
        status |= NEEDS_RESET;
        return notify;
    }

    /** True if the device processes requests: DRIVER_OK and FEATURES_OK, no NEEDS_RESET or FAILED. */
    public boolean isLive() {
        return (status & (DRIVER_OK | FEATURES_OK | NEEDS_RESET | FAILED)) == (DRIVER_OK | FEATURES_OK);
    }

    /** The negotiated features: the driver's, once FEATURES_OK is set; otherwise 0. */
    public long negotiated() {
        return (status & FEATURES_OK) != 0 ? driverFeatures : 0;
    }
}
