package dev.autodiff.core.trace;

import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the teaching page's data: maps, lists, strings, numbers, booleans, null.
 * The text is safe inside an HTML {@code <script>} element: no {@code <} appears in it raw.
 */
final class Json {
  private Json() {}

  static String of(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object v, StringBuilder out) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      string(s, out);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.append(first ? "" : ",");
        string(String.valueOf(e.getKey()), out);
        out.append(':');
        write(e.getValue(), out);
        first = false;
      }
      out.append('}');
    } else if (v instanceof List<?> l) {
      out.append('[');
      for (int i = 0; i < l.size(); i++) {
        out.append(i > 0 ? "," : "");
        write(l.get(i), out);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("Json: cannot write a " + v.getClass().getName()
          + "; give numbers as formatted strings, structures as maps and lists");
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // < and & so that no </script> or comment can close the element the data sits in
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
