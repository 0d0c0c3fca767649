package io.scaleout.session.user;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which passwords an administrator made from ADMIN_PASSWORD may not have: the placeholders of this
 * repository's example and deployment files, well-known default passwords, and anything shorter
 * than {@link #MIN_LENGTH} characters. A deployment that kept an example's value would otherwise
 * have an administrator whose password anyone who read the example knows. Compared without case,
 * spaces or punctuation, so {@code Change_Me} is {@code change-me}.
 */
public final class AdminPasswords {
  /** The shortest administrator password, in characters (Unicode code points). */
  public static final int MIN_LENGTH = 12;

  /** Placeholders and well-known default passwords, normalized ({@link #normalized}). */
  private static final Set<String> KNOWN = Set.of(
      // this repository's examples and deployment files, past and present
      "changeme", "changemetoo", "chooseone", "cicheck", "scaleout", "replicator", "adminpassword",
      // well-known defaults
      "admin", "administrator", "admin123", "admin1234", "adminadmin", "password", "password1", "password123",
      "passw0rd", "p4ssw0rd", "changeit", "secret", "letmein", "welcome", "default", "root", "toor", "test",
      "qwerty", "qwertyuiop", "123456", "12345678", "123456789", "1234567890", "123456789012", "111111", "000000",
      "iloveyou", "trustno1", "superuser", "supersecret", "postgres", "redis");
  /** Words that mark a value as a placeholder wherever they stand in it ({@code change-me-too}, {@code your-password-here}). */
  private static final List<String> PLACEHOLDER_WORDS = List.of("changeme", "replaceme", "yourpassword", "placeholder");

  private AdminPasswords() {
  }

  /** Why {@code password} may not be an administrator's, as the end of a sentence about it; null when it may. */
  public static String refusal(String password) {
    String normalized = normalized(password);
    if (KNOWN.contains(normalized) || PLACEHOLDER_WORDS.stream().anyMatch(normalized::contains)) {
      return "is a placeholder or well-known password (the value of an example or deployment file?); set a password of your own";
    }
    if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
      return "is shorter than " + MIN_LENGTH + " characters";
    }
    return null;
  }

  private static String normalized(String password) {
    return password.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
  }
}
