package org.hvkit.block.virtio.fuzz;

import java.io.ByteArrayOutputStream;

/**
 * Writes the bytes a {@code FuzzedDataProvider} reads back as the given values, so seed inputs
 * can be written as the calls a target makes. It follows the provider's encoding (LLVM's
 * {@code FuzzedDataProvider} as Jazzer 0.30 implements it, checked against the targets):
 * integers and booleans are taken from the end of the input, most significant byte first,
 * using only as many bytes as the range needs; byte arrays from the front.
 *
 * <p>Thread-safety: none.
 */
final class SeedWriter {

    private final ByteArrayOutputStream front = new ByteArrayOutputStream();
    /** Bytes taken from the end, in the order the provider takes them. */
    private final ByteArrayOutputStream back = new ByteArrayOutputStream();

    /**
     * What {@code consumeInt(min, max)} (or {@code consumeLong(min, max)}) returns as
     * {@code value}: Jazzer returns the raw bytes as they are when they fall in the range, so a
     * non-negative value is written as itself, in as many bytes as the range needs.
     */
    SeedWriter integer(long min, long max, long value) {
        if (value < min || value > max || value < 0) {
            throw new IllegalArgumentException(value + " not in " + Math.max(0, min) + ".." + max);
        }
        long range = max - min;
        int bytes = 0;
        while (bytes < 8 && (range >>> (8 * bytes)) != 0) {
            bytes++;
        }
        for (int i = bytes - 1; i >= 0; i--) {
            back.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    /** What {@code consumeBoolean()} returns. */
    SeedWriter bool(boolean value) {
        back.write(value ? 1 : 0);
        return this;
    }

    /** What {@code consumeInt()} returns: its 4 bytes as they are, not an offset from the minimum. */
    SeedWriter int32(int value) {
        return integer(0, 0xffff_ffffL, Integer.toUnsignedLong(value));
    }

    /** What {@code consumeShort()} returns: its 2 bytes as they are. */
    SeedWriter int16(int value) {
        return integer(0, 0xffff, value & 0xffff);
    }

    /** What {@code consumeLong()} returns: its 8 bytes as they are. */
    SeedWriter int64(long value) {
        for (int i = 7; i >= 0; i--) {
            back.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    /** What {@code consumeBytes(n)} returns, n being {@code bytes.length}. */
    SeedWriter bytes(byte[] bytes) {
        front.write(bytes, 0, bytes.length);
        return this;
    }

    /** The input: the front bytes, then the end bytes reversed. */
    byte[] toBytes() {
        byte[] f = front.toByteArray();
        byte[] b = back.toByteArray();
        byte[] out = new byte[f.length + b.length];
        System.arraycopy(f, 0, out, 0, f.length);
        for (int i = 0; i < b.length; i++) {
            out[out.length - 1 - i] = b[i];
        }
        return out;
    }
}
