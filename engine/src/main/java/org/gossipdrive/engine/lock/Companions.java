package org.gossipdrive.engine.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The file names apps create next to a document while they edit or save it, so that creating one
 * takes the document's lock (Blender's {@code X@}, LibreOffice's {@code .~lock.X#}, Office's {@code
 * ~$X}), and the temporary names that exist only during a save ({@code X@}, LibreOffice's {@code
 * lu*.tmp}, Office's {@code ~WR*.tmp}), which peers only see once the save settled.
 *
 * <p>Patterns are plain names where {@code {name}} stands for the document's name and {@code *} for
 * any run of characters.
 */
public final class Companions {
  public static final List<String> DEFAULT_COMPANIONS =
      List.of("{name}@", ".~lock.{name}#", "~${name}");
  public static final List<String> DEFAULT_TRANSIENTS = List.of("{name}@", "lu*.tmp", "~WR*.tmp");
  private static final String NAME = "{name}";

  private final List<Affix> companions;
  private final List<Pattern> transients;

  private record Affix(String prefix, String suffix) {
    Optional<String> document(String fileName) {
      if (fileName.length() > prefix.length() + suffix.length()
          && fileName.startsWith(prefix)
          && fileName.endsWith(suffix)) {
        return Optional.of(
            fileName.substring(prefix.length(), fileName.length() - suffix.length()));
      }
      return Optional.empty();
    }

    String of(String document) {
      return prefix + document + suffix;
    }
  }

  private Companions(List<Affix> companions, List<Pattern> transients) {
    this.companions = companions;
    this.transients = transients;
  }

  public static Companions defaults() {
    return of(DEFAULT_COMPANIONS, DEFAULT_TRANSIENTS);
  }

  /**
   * @throws IllegalArgumentException when a companion pattern does not hold {@code {name}} exactly
   *     once
   */
  public static Companions of(List<String> companionPatterns, List<String> transientPatterns) {
    List<Affix> affixes = new ArrayList<>();
    for (String pattern : companionPatterns) {
      int at = pattern.indexOf(NAME);
      if (at < 0 || pattern.indexOf(NAME, at + 1) >= 0 || pattern.contains("/")) {
        throw new IllegalArgumentException(
            "companion pattern \"" + pattern + "\" must contain {name} exactly once and no /");
      }
      affixes.add(new Affix(pattern.substring(0, at), pattern.substring(at + NAME.length())));
    }
    List<Pattern> globs = new ArrayList<>();
    for (String pattern : transientPatterns) {
      if (pattern.isBlank() || pattern.contains("/")) {
        throw new IllegalArgumentException("transient pattern \"" + pattern + "\" is not a name");
      }
      globs.add(glob(pattern.replace(NAME, "*")));
    }
    return new Companions(List.copyOf(affixes), List.copyOf(globs));
  }

  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".+");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  /** The document {@code fileName} accompanies, if it is a companion's name. */
  public Optional<String> documentOf(String fileName) {
    for (Affix affix : companions) {
      Optional<String> document = affix.document(fileName);
      if (document.isPresent()) {
        return document;
      }
    }
    return Optional.empty();
  }

  /** The names the companions of {@code document} would have. */
  public List<String> companionsOf(String document) {
    return companions.stream().map(a -> a.of(document)).toList();
  }

  /** Whether {@code fileName} exists only while an app saves. */
  public boolean isTransient(String fileName) {
    return transients.stream().anyMatch(p -> p.matcher(fileName).matches());
  }
}
