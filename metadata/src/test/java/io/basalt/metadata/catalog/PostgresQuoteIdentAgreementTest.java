package io.basalt.metadata.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.basalt.agent.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Identifiers#quote} must give what a real PostgreSQL's quote_ident gives. */
class PostgresQuoteIdentAgreementTest {
  private static TestPostgres postgres;
  private static Connection connection;

  @BeforeAll
  static void startPostgres() throws SQLException {
    postgres = TestPostgres.start();
    connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.jdbcLogin());
  }

  @AfterAll
  static void stopPostgres() throws SQLException {
    try {
      if (connection != null) {
        connection.close();
      }
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  /** Names that are not key words: case, digits, '$', punctuation, non-ASCII letters. */
  @Test
  void ordinaryNames() throws SQLException {
    Set<String> names = new LinkedHashSet<>(List.of("", "t", "a", "z", "_", "__", "_1", "a1",
        "a_b", "orders", "orders_2024", "x9y8", "1", "1a", "9_lives", "0", "A", "Z", "Ab", "aB",
        "ORDERS", "Orders", "ordErs", "a$", "$a", "a$b", "price$usd", "a b", " a", "a ", "a-b",
        "a.b", "a\"b", "\"", "\"\"", "a'b", "a;b", "a\\b", "a/b", "a*b", "a\tb", "a\nb", "über",
        "Über", "café", "naïve", "名前", "таблица", "Ελληνικά", "emoji🙂", "ß", "ǅ", "ı", "İ",
        "a\u00a0b", "ａ", "é", "e\u0301"));
    Random random = new Random(20240602L);
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$ \"-éß名";
    while (names.size() < 400) {
      int length = 1 + random.nextInt(12);
      StringBuilder name = new StringBuilder();
      for (int i = 0; i < length; i++) {
        // Mostly plain characters, so that many names come out unquoted.
        int bound = random.nextInt(4) == 0 ? alphabet.length() : 26;
        name.append(alphabet.charAt(random.nextInt(bound)));
      }
      names.add(name.toString());
    }
    int plain = assertAgreement(names);
    assertTrue(plain >= 100, "too few names that stay unquoted: " + plain);
  }

  /** Every key word PostgreSQL knows, in lower and upper case, and with a suffix. */
  @Test
  void keywords() throws SQLException {
    assumeTrue(majorVersion() == 15, "Identifiers holds PostgreSQL 15's key word list");
    Set<String> names = new LinkedHashSet<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT word FROM pg_catalog.pg_get_keywords() ORDER BY word");
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        String word = result.getString(1);
        names.add(word);
        names.add(word.toUpperCase(Locale.ROOT));
        names.add(word + "_1");
        names.add("_" + word);
      }
    }
    assertTrue(names.size() > 1500, "too few key words: " + names.size());
    assertAgreement(names);
  }

  /** An unquoted name means what PostgreSQL makes of it: the label of SELECT 1 AS name. */
  @Test
  void unquotedNamesFoldLikePostgres() throws SQLException {
    List<String> words = List.of("orders", "ORDERS", "Orders", "MiXeD_1$", "Über", "ÜBER_Table",
        "İd", "STRAßE", "ΣΑΣ", "Ǆemal", "名前X", "café_AU_LAIT", "_X9");
    List<String> mismatches = new ArrayList<>();
    for (String word : words) {
      try (PreparedStatement statement = connection.prepareStatement("SELECT 1 AS " + word);
          ResultSet result = statement.executeQuery()) {
        String label = result.getMetaData().getColumnLabel(1);
        if (!label.equals(Identifiers.foldUnquoted(word))) {
          mismatches.add(word + ": PostgreSQL " + label + ", Java "
              + Identifiers.foldUnquoted(word));
        }
      }
    }
    assertEquals(List.of(), mismatches);
  }

  private static int majorVersion() throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT current_setting('server_version_num')::int / 10000");
        ResultSet result = statement.executeQuery()) {
      result.next();
      return result.getInt(1);
    }
  }

  /** Compares every name; returns how many quote_ident left unquoted. */
  private static int assertAgreement(Set<String> names) throws SQLException {
    List<String> mismatches = new ArrayList<>();
    int plain = 0;
    int rows = 0;
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT n, pg_catalog.quote_ident(n) FROM unnest(?::text[]) WITH ORDINALITY AS u(n, i)"
            + " ORDER BY i")) {
      statement.setArray(1, connection.createArrayOf("text", names.toArray()));
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          rows++;
          String name = result.getString(1);
          String expected = result.getString(2);
          if (expected.equals(name)) {
            plain++;
          }
          String actual = Identifiers.quote(name);
          if (!expected.equals(actual)) {
            mismatches.add(name + ": PostgreSQL " + expected + ", Java " + actual);
          }
        }
      }
    }
    assertEquals(names.size(), rows);
    assertEquals(List.of(), mismatches);
    return plain;
  }
}
