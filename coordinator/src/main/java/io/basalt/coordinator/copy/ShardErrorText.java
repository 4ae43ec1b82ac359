package io.basalt.coordinator.copy;

import io.basalt.error.BasaltException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error a shard's server raised during COPY, told as PostgreSQL would tell it for the
 * distributed table: names carrying the shard's id suffix ("items_102008", "items_pkey_102008")
 * lose it, and "COPY items_102008, line 3" becomes the client's own line.
 */
public final class ShardErrorText {
  /**
   * The CONTEXT line of COPY. The quoted line text may hold newlines (a CSV row); COPY's is the
   * outermost context, so its text runs to the end of the field.
   */
  private static final Pattern COPY_LINE = Pattern.compile(
      "^COPY ([^,\\n]+), line (\\d+)(: \"(?s:.*)\"\\z)?", Pattern.MULTILINE);

  private ShardErrorText() {}

  public static BasaltException rewrite(BasaltException e, long shardId, String relation,
      ShardBatch batch) {
    Pattern suffix = Pattern.compile("([A-Za-z0-9_$]+)_" + shardId + "(?![0-9])");
    Map<Character, String> fields = new LinkedHashMap<>();
    e.fields().forEach((code, value) -> {
      String v = code == 'S' || code == 'V' || code == 'C' ? value
          : suffix.matcher(value).replaceAll("$1");
      if (code == 'W') {
        v = lines(v, relation, batch);
      }
      fields.put(code, v);
    });
    return BasaltException.fromFields(fields, e);
  }

  private static String lines(String context, String relation, ShardBatch batch) {
    Matcher m = COPY_LINE.matcher(context);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      long batchLine = Long.parseLong(m.group(2));
      long line = batch.clientLine(batchLine);
      String text = m.group(3) == null ? null : batch.clientText(batchLine);
      m.appendReplacement(out, Matcher.quoteReplacement(line < 0 ? m.group()
          : CopyDataError.context(relation, line, text)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
