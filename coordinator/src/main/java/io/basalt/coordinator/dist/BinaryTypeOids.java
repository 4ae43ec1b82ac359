package io.basalt.coordinator.dist;

import java.nio.ByteBuffer;

/**
 * Type OIDs inside binary values: an array's element type and a record's field types are
 * written into the value itself, so a binary array of an enum, or a whole row holding one,
 * that a worker sends names the worker's OID of the type, which the coordinator's clients
 * would look up as another type or none. This writes the coordinator's OIDs in their place,
 * through nested arrays and records; everything else is left byte for byte.
 */
public final class BinaryTypeOids {
  /** PostgreSQL's record and record[] types, whose values carry their fields' OIDs. */
  public static final int RECORD = 2249;
  public static final int RECORD_ARRAY = 2287;

  /** What a type is, as far as its binary values go. */
  public enum Kind { ARRAY, RECORD, OTHER }

  /** The source server's types. */
  public interface Types {
    /** The coordinator's OID of the source's type {@code oid}. */
    int local(int oid);

    /** Whether the source's type {@code oid} is an array, a composite, or neither. */
    Kind kind(int oid);
  }

  private BinaryTypeOids() {}

  /** Whether values of the source's type {@code oid} may carry OIDs that need rewriting. */
  public static boolean mayCarryOids(int oid) {
    return oid == RECORD || oid == RECORD_ARRAY || oid >= TypeOids.FIRST_NORMAL_OBJECT_ID;
  }

  /** The value with the coordinator's OIDs in it (the same array when nothing changed). */
  public static byte[] rewrite(byte[] value, int oid, Types types) {
    if (value == null) {
      return null;
    }
    Kind kind = kindOf(oid, types);
    if (kind == Kind.OTHER) {
      return value;
    }
    byte[] copy = value.clone();
    ByteBuffer b = ByteBuffer.wrap(copy);
    if (kind == Kind.ARRAY) {
      array(b, types);
    } else {
      record(b, types);
    }
    return copy;
  }

  private static Kind kindOf(int oid, Types types) {
    if (oid == RECORD) {
      return Kind.RECORD;
    }
    if (oid == RECORD_ARRAY) {
      return Kind.ARRAY;
    }
    return oid >= TypeOids.FIRST_NORMAL_OBJECT_ID ? types.kind(oid) : Kind.OTHER;
  }

  /** An array from the buffer's position: ndim, has-null flag, element type, dims, items. */
  private static void array(ByteBuffer b, Types types) {
    int dimensions = b.getInt();
    b.getInt();   // has nulls
    int elementAt = b.position();
    int element = b.getInt();
    b.putInt(elementAt, types.local(element));
    long items = dimensions == 0 ? 0 : 1;
    for (int d = 0; d < dimensions; d++) {
      items *= b.getInt();
      b.getInt();   // lower bound
    }
    Kind kind = kindOf(element, types);
    for (long i = 0; i < items; i++) {
      item(b, kind, types);
    }
  }

  /** A record from the buffer's position: field count, then each field's OID and value. */
  private static void record(ByteBuffer b, Types types) {
    int fields = b.getInt();
    for (int f = 0; f < fields; f++) {
      int oidAt = b.position();
      int oid = b.getInt();
      b.putInt(oidAt, types.local(oid));
      item(b, kindOf(oid, types), types);
    }
  }

  /** A length-prefixed item (-1: NULL), rewritten inside when it is an array or record. */
  private static void item(ByteBuffer b, Kind kind, Types types) {
    int length = b.getInt();
    if (length < 0) {
      return;
    }
    int end = b.position() + length;
    if (kind == Kind.ARRAY) {
      array(b, types);
    } else if (kind == Kind.RECORD) {
      record(b, types);
    }
    b.position(end);
  }
}
