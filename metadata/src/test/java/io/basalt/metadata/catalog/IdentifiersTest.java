package io.basalt.metadata.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are what PostgreSQL 15's quote_ident returns. */
class IdentifiersTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "t | t",
      "orders_2024 | orders_2024",
      "_x | _x",
      "_ | _",
      "x1 | x1",
      "1x | \"1x\"",
      "Orders | \"Orders\"",
      "ORDERS | \"ORDERS\"",
      "a b | \"a b\"",
      "a$b | \"a$b\"",
      "a-b | \"a-b\"",
      "a\"b | \"a\"\"b\"",
      "über | \"über\"",
      "名前 | \"名前\"",
      // unreserved key words stay plain
      "name | name",
      "type | type",
      "text | text",
      "index | index",
      "begin | begin",
      "key | key",
      // reserved
      "user | \"user\"",
      "select | \"select\"",
      "table | \"table\"",
      "order | \"order\"",
      "end | \"end\"",
      // reserved, may be a function or type name
      "left | \"left\"",
      "join | \"join\"",
      "authorization | \"authorization\"",
      // unreserved, cannot be a function or type name
      "int | \"int\"",
      "integer | \"integer\"",
      "between | \"between\"",
      "char | \"char\"",
      "values | \"values\"",
      "timestamp | \"timestamp\"",
      "xmltable | \"xmltable\""})
  void quotesLikeQuoteIdent(String name, String expected) {
    assertEquals(expected, Identifiers.quote(name));
  }

  @org.junit.jupiter.api.Test
  void emptyNameIsQuoted() {
    assertEquals("\"\"", Identifiers.quote(""));
  }

  @ParameterizedTest
  @CsvSource({"orders, orders", "ORDERS, orders", "MiXeD_1$, mixed_1$", "Über, Über",
      "ÜBER_Table, Über_table", "İd, İd", "STRAßE, straße", "ΣΑΣ, ΣΑΣ"})
  void unquotedNamesFoldOnlyAsciiLetters(String word, String name) {
    assertEquals(name, Identifiers.foldUnquoted(word));
  }

  @Test
  void nameOfGivesTheNamePostgresStores() {
    assertEquals("orders", Identifiers.nameOf("ORDERS"));
    // PostgreSQL folds only ASCII letters of an unquoted name.
    assertEquals("Über_table", Identifiers.nameOf("ÜBER_Table"));
    assertEquals("A\"b", Identifiers.nameOf("\"A\"\"b\""));
    assertEquals("MixedCase", Identifiers.nameOf("\"MixedCase\""));
  }
}
