package io.basalt.coordinator.copy;

import io.basalt.error.BasaltException;
import java.nio.ByteBuffer;
import java.util.List;

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

  /** The COPY's columns, in input order: a tuple has one field for each. */
  private final List<String> columns;
  private boolean headerRead;

  BinarySplitter(RowSink sink, int distField, String relation, List<String> columns) {
    super(sink, distField, relation);
    this.columns = List.copyOf(columns);
  }

  /** PostgreSQL counts the trailer as one more line, and reports that line. */
  @Override
  protected void afterEnd(int len) {
    if (len > 0) {
      throw CopyDataError.of("received copy data after EOF marker", null, relation, line + 1,
          null);
    }
  }

  @Override
  protected void scan(boolean atEnd) {
    if (!headerRead && !readHeader(atEnd)) {
      return;
    }
    int incompleteField = -1;
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
      if (count != columns.size()) {
        throw CopyDataError.of("row field count is " + count + ", expected " + columns.size(),
            null, relation, line + 1, null);
      }
      int i = pos + 2;
      int distStart = -1;
      int distEnd = -1;
      for (int f = 0; f < count && incompleteField < 0; f++) {
        if (limit - i < 4) {
          incompleteField = f;
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
            incompleteField = f;
            break;
          }
          i += len;
        }
      }
      if (incompleteField >= 0) {
        break;
      }
      row.reset();
      line++;
      row.fieldCount = count;
      row.distStart = distField < count ? distStart : -1;
      row.distEnd = distEnd;
      emit(pos, i, i);
      pos = i;
    }
    if (atEnd && !ended) {
      if (incompleteField >= 0) {
        throw CopyDataError.ofColumn("unexpected EOF in COPY data", relation, line + 1,
            columns.get(incompleteField));
      }
      // Input that stops without the trailer, or within a tuple's field count, ends the data
      // for PostgreSQL (CopyReadBinaryTuple reads an incomplete count as the end).
      ended = true;
    }
  }

  /**
   * Reads the file header in PostgreSQL's order (ReceiveCopyBinaryHeader): the signature, the
   * flags, the extension length, the extension; each with its own error once the input ends.
   */
  private boolean readHeader(boolean atEnd) {
    int have = limit - pos;
    if (have < SIGNATURE.length) {
      if (atEnd) {
        throw headerError("COPY file signature not recognized");
      }
      return false;
    }
    for (int k = 0; k < SIGNATURE.length; k++) {
      if (buf[pos + k] != SIGNATURE[k]) {
        throw headerError("COPY file signature not recognized");
      }
    }
    if (have < 15) {
      if (atEnd) {
        throw headerError("invalid COPY file header (missing flags)");
      }
      return false;
    }
    int flags = ByteBuffer.wrap(buf, pos + 11, 4).getInt();
    if ((flags & (1 << 16)) != 0) {
      throw headerError("invalid COPY file header (WITH OIDS)");
    }
    if ((flags & 0xffff0000 & ~(1 << 16)) != 0) {
      throw headerError("unrecognized critical flags in COPY file header");
    }
    if (have < 19) {
      if (atEnd) {
        throw headerError("invalid COPY file header (missing length)");
      }
      return false;
    }
    int extension = ByteBuffer.wrap(buf, pos + 15, 4).getInt();
    if (extension < 0) {
      throw headerError("invalid COPY file header (missing length)");
    }
    if (have < 19 + extension) {
      if (atEnd) {
        throw headerError("invalid COPY file header (wrong length)");
      }
      return false;
    }
    pos += 19 + extension;
    headerRead = true;
    return true;
  }

  /** PostgreSQL reads the header before COPY's error context exists: no CONTEXT line. */
  private BasaltException headerError(String message) {
    return BasaltException.builder("22P04", message).build();
  }
}
