package io.basalt.coordinator.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** OIDs inside binary arrays and records, as PostgreSQL's array_send and record_send write them. */
class BinaryTypeOidsTest {
  /** A worker where 16385 is an enum (16500 here), 16390 its array, 16400 a composite (16600). */
  private static final BinaryTypeOids.Types WORKER = new BinaryTypeOids.Types() {
    @Override
    public int local(int oid) {
      return switch (oid) {
        case 16385 -> 16500;
        case 16390 -> 16510;
        case 16400 -> 16600;
        default -> oid;
      };
    }

    @Override
    public BinaryTypeOids.Kind kind(int oid) {
      return switch (oid) {
        case 16390 -> BinaryTypeOids.Kind.ARRAY;
        case 16400 -> BinaryTypeOids.Kind.RECORD;
        default -> BinaryTypeOids.Kind.OTHER;
      };
    }
  };

  private static byte[] array(int element, byte[]... items) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(1);
    d.writeInt(0);
    d.writeInt(element);
    d.writeInt(items.length);
    d.writeInt(1);
    for (byte[] item : items) {
      d.writeInt(item == null ? -1 : item.length);
      if (item != null) {
        d.write(item);
      }
    }
    return b.toByteArray();
  }

  private static byte[] record(Object... oidsAndValues) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(oidsAndValues.length / 2);
    for (int i = 0; i < oidsAndValues.length; i += 2) {
      d.writeInt((Integer) oidsAndValues[i]);
      byte[] v = (byte[]) oidsAndValues[i + 1];
      d.writeInt(v == null ? -1 : v.length);
      if (v != null) {
        d.write(v);
      }
    }
    return b.toByteArray();
  }

  @Test
  void anEnumArrayNamesTheCoordinatorsElementType() throws IOException {
    byte[] sad = "sad".getBytes();
    byte[] worker = array(16385, sad, null, "ok".getBytes());
    assertArrayEquals(array(16500, sad, null, "ok".getBytes()),
        BinaryTypeOids.rewrite(worker, 16390, WORKER));
  }

  @Test
  void recordsAreRewrittenThroughNestedArraysAndRecords() throws IOException {
    byte[] four = {0, 0, 0, 4};
    byte[] inner = record(23, four, 16385, "ok".getBytes());
    byte[] worker = record(23, four, 16385, "sad".getBytes(), 16390,
        array(16385, "ok".getBytes()), 16400, inner, 16385, null);
    byte[] expected = record(23, four, 16500, "sad".getBytes(), 16510,
        array(16500, "ok".getBytes()), 16600, record(23, four, 16500, "ok".getBytes()),
        16500, null);
    assertArrayEquals(expected, BinaryTypeOids.rewrite(worker, BinaryTypeOids.RECORD, WORKER));
    // record[] of composites, and an empty array
    assertArrayEquals(array(16600, expected), BinaryTypeOids.rewrite(array(16400, worker),
        BinaryTypeOids.RECORD_ARRAY, WORKER));
    byte[] empty = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x01};
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, (byte) 0x74},
        BinaryTypeOids.rewrite(empty, 16390, WORKER));
  }

  @Test
  void otherValuesAreLeftAlone() {
    byte[] value = {1, 2, 3};
    assertSame(value, BinaryTypeOids.rewrite(value, 16385, WORKER));
    assertSame(value, BinaryTypeOids.rewrite(value, 23, WORKER));
  }
}
