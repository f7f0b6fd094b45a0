package org.hvkit.block.virtio.fuzz;

import java.io.ByteArrayOutputStream;

/**
 * Writes the bytes a {@code FuzzedDataProvider} reads back as the given values, so seed inputs
 * can be written as the calls a target makes. It follows the provider's encoding (LLVM's
 * {@code FuzzedDataProvider}): integers and booleans are taken from the end of the input, most
 * significant byte first, using only as many bytes as the range needs; byte arrays from the
 * front.
 *
 * <p>Thread-safety: none.
 */
final class SeedWriter {

    private final ByteArrayOutputStream front = new ByteArrayOutputStream();
    /** Bytes taken from the end, in the order the provider takes them. */
    private final ByteArrayOutputStream back = new ByteArrayOutputStream();

    /** What {@code consumeInt(min, max)} returns as {@code value}. */
    SeedWriter integer(long min, long max, long value) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " not in " + min + ".." + max);
        }
        long range = max - min;
        long offset = value - min;
        int bytes = 0;
        while (bytes < 8 && (range >>> (8 * bytes)) != 0) {
            bytes++;
        }
        for (int i = bytes - 1; i >= 0; i--) {
            back.write((int) (offset >>> (8 * i)));
        }
        return this;
    }

    /** What {@code consumeBoolean()} returns. */
    SeedWriter bool(boolean value) {
        back.write(value ? 1 : 0);
        return this;
    }

    /** What {@code consumeInt()} returns. */
    SeedWriter int32(int value) {
        return integer(Integer.MIN_VALUE, Integer.MAX_VALUE, value);
    }

    /** What {@code consumeShort()} returns. */
    SeedWriter int16(int value) {
        return integer(Short.MIN_VALUE, Short.MAX_VALUE, (short) value);
    }

    /** What {@code consumeLong()} returns. */
    SeedWriter int64(long value) {
        // The whole long range: offset = value - Long.MIN_VALUE, all 8 bytes.
        long offset = value - Long.MIN_VALUE;
        for (int i = 7; i >= 0; i--) {
            back.write((int) (offset >>> (8 * i)));
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
