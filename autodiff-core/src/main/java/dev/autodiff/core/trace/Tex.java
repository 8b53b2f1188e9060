package dev.autodiff.core.trace;

import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.Map;
import java.util.Set;

/**
 * Names and formulas as LaTeX for math mode, accepted by KaTeX's strict mode: {@code x_in} →
 * {@code x_{\mathrm{in}}}, {@code W1} → {@code W_{1}}, {@code ŷ} → {@code \hat{y}}, {@code log} →
 * {@code \log}. A character that means something to TeX ({@code \ % & # _ ^ { } $ ~}) is escaped,
 * so that no name can break the block it is written into.
 */
final class Tex {
  /** The Unicode of the op formulas → LaTeX, longest first. */
  private static final String[][] UNICODE = {
      {"ReLU", "\\text{ReLU}"}, {"softmax", "\\text{softmax}"}, {"·", " "}, {"ᵀ", "^T"},
      {"⊙", "\\odot"}, {"⊘", "\\oslash"}, {"−", "-"}, {"²", "^2"}, {"σ", "\\sigma"},
      {"√", "\\sqrt"}, {"Σ", "\\textstyle\\sum"}, {"½", "\\tfrac{1}{2}"}, {"‖", "\\|"},
      {"∂", "\\partial "}, {"↓", "\\downarrow "}};
  /** Symbols with a LaTeX form, in names and in what the table above leaves of a formula. */
  private static final Map<Integer, String> SYMBOLS = Map.ofEntries(
      Map.entry((int) '·', " "), Map.entry((int) 'ᵀ', "^T"), Map.entry((int) '⊙', "\\odot "),
      Map.entry((int) '⊘', "\\oslash "), Map.entry((int) '−', "-"), Map.entry((int) '²', "^2"),
      Map.entry((int) '√', "\\sqrt"), Map.entry((int) 'Σ', "\\textstyle\\sum "),
      Map.entry((int) '½', "\\tfrac{1}{2}"), Map.entry((int) '‖', "\\|"),
      Map.entry((int) '∂', "\\partial "), Map.entry((int) '→', "\\to "),
      Map.entry((int) '×', "\\times "), Map.entry((int) '∇', "\\nabla "),
      Map.entry((int) '³', "^3"), Map.entry((int) '≤', "\\le "), Map.entry((int) '≥', "\\ge "),
      Map.entry((int) '≠', "\\ne "), Map.entry((int) '⋆', "\\star "),
      Map.entry((int) '∘', "\\circ "), Map.entry((int) '∞', "\\infty "),
      Map.entry((int) '↓', "\\downarrow "));
  /** ASCII that TeX reads as commands, groups, comments, alignment, scripts or math shifts. */
  private static final Map<Character, String> ESCAPES = Map.of('\\', "\\backslash{}", '%', "\\%",
      '&', "\\&", '#', "\\#", '_', "\\_", '^', "\\char\"5E{}", '{', "\\{", '}', "\\}", '$', "\\$",
      '~', "\\char\"7E{}");
  /** Words TeX sets upright as operators: {@code log ŷ} reads \log \hat{y}. */
  private static final Set<String> OPERATORS = Set.of("log", "ln", "exp", "sin", "cos", "tan",
      "sinh", "cosh", "tanh", "max", "min", "det", "arg", "sup", "inf", "lim");
  /** Combining accents over a letter. */
  private static final Map<Character, String> ACCENTS = Map.of('\u0300', "grave", '\u0301',
      "acute", '\u0302', "hat", '\u0303', "tilde", '\u0304', "bar", '\u0306', "breve", '\u0307',
      "dot", '\u0308', "ddot", '\u030A', "mathring", '\u030C', "check");
  /** Scripts whose letters KaTeX sets in \text (it has no math-mode glyphs for them). */
  private static final Set<UnicodeScript> TEXT_SCRIPTS = Set.of(UnicodeScript.LATIN,
      UnicodeScript.GREEK, UnicodeScript.CYRILLIC, UnicodeScript.ARMENIAN, UnicodeScript.GEORGIAN,
      UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA, UnicodeScript.HANGUL);

  private Tex() {}

  /**
   * The literal text of an op's formula or label as LaTeX: its ASCII is TeX already ({@code ^},
   * parentheses), its symbols become commands, a word of several letters is upright (an operator
   * such as \\cos, or {@code \\mathrm{mean}}) and keeps the spaces between words.
   */
  static String formula(String unicode) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    next:
    while (i < unicode.length()) {
      for (String[] r : UNICODE) {
        if (unicode.startsWith(r[0], i)) {
          out.append(r[1]);
          i += r[0].length();
          // a command such as \\odot must not run into a letter, here or in what is filled in next
          if (r[1].matches(".*\\\\[a-zA-Z]+") && (i == unicode.length()
              || isAsciiLetter(unicode.charAt(i)))) {
            out.append(' ');
          }
          continue next;
        }
      }
      int end = i;
      while (end < unicode.length() && isAsciiLetter(unicode.charAt(end))) {
        end++;
      }
      if (end - i > 1) {
        String w = unicode.substring(i, end);
        boolean subscript = i > 0 && unicode.charAt(i - 1) == '_'; // Σ_blocks
        out.append(subscript ? "{\\mathrm{" + w + "}}"
            : OPERATORS.contains(w) ? "\\" + w : "\\mathrm{" + w + "}");
        i = end;
        if (i + 2 < unicode.length() && unicode.charAt(i) == ' '
            && isAsciiLetter(unicode.charAt(i + 1)) && isAsciiLetter(unicode.charAt(i + 2))) {
          out.append("\\ "); // "over each window": math mode would drop the space
          i++;
        }
        continue;
      }
      int cp = unicode.codePointAt(i);
      if (cp < 128) { // TeX already, but for what would end or break the block, as in an op's name
        char c = (char) cp;
        out.append("%&#$~\\".indexOf(c) >= 0 ? ESCAPES.get(c) : String.valueOf(c));
      } else if (SYMBOLS.containsKey(cp)) {
        out.append(SYMBOLS.get(cp));
      } else {
        out.append(letter(cp, ""));
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  private static boolean isAsciiLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  /**
   * A name as LaTeX: letters followed by digits or by {@code _} and letters or digits take them as
   * a subscript; a word of several letters is upright.
   */
  static String name(String name) {
    String s = Normalizer.normalize(name, Normalizer.Form.NFD);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (SYMBOLS.containsKey(cp)) {
        out.append(SYMBOLS.get(cp));
        i += Character.charCount(cp);
      } else if (isNameLetter(cp)) {
        int end = letters(s, i);
        out.append(word(s.substring(i, end)));
        i = end;
        int from = i < s.length() && s.charAt(i) == '_' ? i + 1 : i;
        int to = from == i ? digits(s, from) : alphanumerics(s, from);
        if (to > from) { // x_in, W_2, W2
          out.append("_{").append(subscript(s.substring(from, to))).append('}');
          i = to;
        }
      } else if (cp < 128) {
        char c = (char) cp;
        out.append(ESCAPES.containsKey(c) ? ESCAPES.get(c) : c == '`' ? "\\char\"60{}"
            : String.valueOf(c));
        i++;
      } else {
        out.append(symbol(cp));
        i += Character.charCount(cp);
      }
    }
    return out.toString();
  }

  /** A run of letters with their combining accents. */
  private static String word(String w) {
    if (w.codePoints().allMatch(c -> c < 128)) {
      return w.length() == 1 ? w : OPERATORS.contains(w) ? "\\" + w : "\\mathrm{" + w + "}";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < w.length(); ) {
      int cp = w.codePointAt(i);
      int end = i + Character.charCount(cp);
      while (end < w.length() && isMark(w.charAt(end))) {
        end++;
      }
      out.append(letter(cp, w.substring(i + Character.charCount(cp), end)));
      i = end;
    }
    return out.toString();
  }

  /** One letter and its accents: \hat{y} for ŷ, as it is for α, in \text for other scripts. */
  private static String letter(int cp, String marks) {
    String base;
    boolean mathLetter = cp < 128 || isMathGreek(cp);
    if (mathLetter) {
      base = new String(Character.toChars(cp));
    } else if (TEXT_SCRIPTS.contains(UnicodeScript.of(cp))) {
      return "\\text{" + Normalizer.normalize(new String(Character.toChars(cp)) + marks,
          Normalizer.Form.NFC) + "}";
    } else {
      base = symbol(cp);
    }
    for (char m : marks.toCharArray()) {
      String accent = ACCENTS.get(m);
      base = accent != null ? "\\" + accent + "{" + base + "}" : base;
    }
    return base;
  }

  /** Greek letters that KaTeX sets in math mode as they are. */
  private static boolean isMathGreek(int cp) {
    return cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2 || cp >= 0x3B1 && cp <= 0x3C9
        || "ϑϕϖϱϵℓ".indexOf(cp) >= 0;
  }

  /** Any other character, by its code point: KaTeX sets it in the page's font. */
  private static String symbol(int cp) {
    return "\\char\"" + Integer.toHexString(cp).toUpperCase() + "{}";
  }

  private static String subscript(String s) {
    if (s.chars().allMatch(Character::isDigit) || s.codePointCount(0, s.length()) == 1) {
      return s.chars().allMatch(c -> c < 128) ? s : word(s);
    }
    return s.chars().allMatch(c -> c < 128) ? "\\mathrm{" + s + "}" : word(s);
  }

  private static boolean isMark(char c) {
    return Character.getType(c) == Character.NON_SPACING_MARK;
  }

  private static int letters(String s, int i) {
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (SYMBOLS.containsKey(cp) || !isNameLetter(cp) && !isMark(s.charAt(i))) {
        break;
      }
      i += Character.charCount(cp);
    }
    return i;
  }

  /** A letter that starts or continues a word; modifier letters such as ᵀ or ⁱ are symbols. */
  private static boolean isNameLetter(int cp) {
    return Character.isLetter(cp) && Character.getType(cp) != Character.MODIFIER_LETTER;
  }

  private static int digits(String s, int i) {
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  private static int alphanumerics(String s, int i) {
    while (i < s.length() && (s.charAt(i) < 128 && Character.isLetterOrDigit(s.charAt(i))
        || s.charAt(i) >= 128 && (Character.isLetter(s.charAt(i)) || isMark(s.charAt(i))))) {
      i++;
    }
    return i;
  }
}
