package io.scaleout.common.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Session tokens: 256 random bits, base64url. Only their SHA-256 is ever stored or sent around
 * after login (stores, caches, logout notices); the raw token lives in the client alone.
 */
public final class SessionTokens {
  public static final String COOKIE = "SID";
  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionTokens() {
  }

  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** True for something that can be a token (43 base64url characters), before any lookup. */
  public static boolean wellFormed(String token) {
    return token != null && token.length() == 43 && token.chars().allMatch(c ->
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
  }

  /** True for something that can be a token's hash: 64 lower-case hex digits. */
  public static boolean wellFormedHash(String hash) {
    return hash != null && hash.length() == 64 && hash.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }

  public static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
