package io.basalt.coordinator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.error.BasaltException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardErrorTextTest {
  /** A batch holding rows of client lines 4, 7 (two lines: a csv newline) and 9. */
  private static ShardBatch batch() {
    ShardBatch b = new ShardBatch(0, 16);
    for (String[] row : new String[][] {{"4", "1", "a,1"}, {"8", "2", "\"b\nc\",2"},
        {"9", "1", "d,x"}}) {
      int start = b.size();
      byte[] text = row[2].getBytes(StandardCharsets.UTF_8);
      b.write(text, 0, text.length);
      b.write((byte) '\n');
      b.rowEnd(Long.parseLong(row[0]), Integer.parseInt(row[1]), start, text.length);
    }
    return b;
  }

  @Test
  void linesAreTheClients() {
    ShardBatch b = batch();
    assertEquals(4, b.clientLine(1));
    assertEquals(7, b.clientLine(2));
    assertEquals(8, b.clientLine(3));
    assertEquals(9, b.clientLine(4));
    assertEquals(-1, b.clientLine(5));
    assertEquals("d,x", b.clientText(4));
  }

  @Test
  void shardNamesAndLinesAreRewritten() {
    Map<Character, String> f = new LinkedHashMap<>();
    f.put('S', "ERROR");
    f.put('C', "23505");
    f.put('M', "duplicate key value violates unique constraint \"items_pkey_102008\"");
    f.put('D', "Key (id)=(1) already exists.");
    f.put('W', "COPY items_102008, line 4: \"d,x\"");
    BasaltException e = ShardErrorText.rewrite(BasaltException.fromFields(f, null), 102008,
        "items", batch());
    assertEquals("duplicate key value violates unique constraint \"items_pkey\"", e.getMessage());
    assertEquals("COPY items, line 9: \"d,x\"", e.fields().get('W'));
    f.put('M', "invalid input syntax for type integer: \"x\"");
    f.put('W', "COPY items_102008, line 4, column n: \"x\"");
    e = ShardErrorText.rewrite(BasaltException.fromFields(f, null), 102008, "items", batch());
    assertEquals("COPY items, line 9, column n: \"x\"", e.fields().get('W'));
    // Other ids in names are left alone.
    f.put('M', "relation \"items_1020080\" is odd");
    e = ShardErrorText.rewrite(BasaltException.fromFields(f, null), 102008, "items", batch());
    assertEquals("relation \"items_1020080\" is odd", e.getMessage());
  }
}
