package io.scaleout.common.api;

import java.nio.charset.StandardCharsets;

/**
 * Checks of text a client sends before it is stored, compared or sent to a database: Postgres
 * refuses NUL in text (a data exception, not the client's 400), other control characters have no
 * place in names, and a lone surrogate has no UTF-8 form (the driver would send '?' instead).
 */
public final class Text {
  private Text() {
  }

  /** Well-formed and free of control characters. */
  public static boolean clean(String text) {
    return wellFormed(text) && text.codePoints().noneMatch(Character::isISOControl);
  }

  /** The same, but tabs and line breaks are allowed (for descriptions). */
  public static boolean cleanLines(String text) {
    return wellFormed(text) && text.codePoints().noneMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r');
  }

  /** No lone surrogates: every character has a UTF-8 form. */
  public static boolean wellFormed(String text) {
    return StandardCharsets.UTF_8.newEncoder().canEncode(text);
  }
}
