package io.basalt.coordinator.copy;

import io.basalt.error.BasaltException;
import java.nio.ByteBuffer;

/**
 * COPY's binary format: a signature and header, then tuples (a 16-bit field count, then per
 * field a 32-bit length, -1 for NULL, and the bytes), then -1 as the trailer. Each tuple counts
 * as one line, as PostgreSQL counts them.
 */
public final class BinarySplitter extends RowSplitter {
  static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
  /** The header a shard's COPY gets: signature, no flags, no extension. */
  public static final byte[] HEADER = ByteBuffer.allocate(19).put(SIGNATURE).putInt(0).putInt(0)
      .array();
  public static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};

  private final int expectedFields;
  private boolean headerRead;

  BinarySplitter(RowSink sink, int distField, String relation, int expectedFields) {
    super(sink, distField, relation);
    this.expectedFields = expectedFields;
  }

  @Override
  protected void afterEnd(int len) {
    if (len > 0) {
      throw CopyDataError.of("received copy data after EOF marker", null, relation, line, null);
    }
  }

  @Override
  protected void scan(boolean atEnd) {
    if (!headerRead && !readHeader(atEnd)) {
      return;
    }
    while (!ended && pos < limit) {
      if (limit - pos < 2) {
        break;
      }
      short count = (short) (((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff));
      if (count == -1) {
        ended = true;
        int rest = limit - pos - 2;
        pos = limit;
        afterEnd(rest);
        return;
      }
      int i = pos + 2;
      int distStart = -1;
      int distEnd = -1;
      boolean complete = true;
      for (int f = 0; f < count; f++) {
        if (limit - i < 4) {
          complete = false;
          break;
        }
        int len = ByteBuffer.wrap(buf, i, 4).getInt();
        i += 4;
        if (f == distField) {
          distStart = i;
          distEnd = len < 0 ? -2 : i + len;
        }
        if (len > 0) {
          if (limit - i < len) {
            complete = false;
            break;
          }
          i += len;
        }
      }
      if (!complete) {
        break;
      }
      row.reset();
      line++;
      if (count != expectedFields) {
        throw CopyDataError.of("row field count is " + count + ", expected " + expectedFields,
            null, relation, line, null);
      }
      row.fieldCount = count;
      row.distStart = distField < count ? distStart : -1;
      row.distEnd = distEnd;
      emit(pos, i, i);
      pos = i;
    }
    if (atEnd && !ended) {
      if (pos < limit || !headerRead) {
        throw CopyDataError.of("unexpected EOF in COPY data", null, relation, line + 1, null);
      }
      // PostgreSQL accepts input that stops without the trailer.
      ended = true;
    }
  }

  private boolean readHeader(boolean atEnd) {
    if (limit - pos < 19) {
      if (atEnd) {
        throw headerError(limit - pos < SIGNATURE.length ? "COPY file signature not recognized"
            : "invalid COPY file header (missing length)");
      }
      return false;
    }
    for (int k = 0; k < SIGNATURE.length; k++) {
      if (buf[pos + k] != SIGNATURE[k]) {
        throw headerError("COPY file signature not recognized");
      }
    }
    int flags = ByteBuffer.wrap(buf, pos + 11, 4).getInt();
    if ((flags & (1 << 16)) != 0) {
      throw headerError("invalid COPY file header (WITH OIDS)");
    }
    if ((flags & 0xffff0000 & ~(1 << 16)) != 0) {
      throw headerError("unrecognized critical flags in COPY file header");
    }
    int extension = ByteBuffer.wrap(buf, pos + 15, 4).getInt();
    if (extension < 0) {
      throw headerError("invalid COPY file header (missing length)");
    }
    if (limit - pos < 19 + extension) {
      if (atEnd) {
        throw headerError("invalid COPY file header (wrong length)");
      }
      return false;
    }
    pos += 19 + extension;
    headerRead = true;
    return true;
  }

  private BasaltException headerError(String message) {
    return CopyDataError.of(message, null, relation, 0, null);
  }
}
