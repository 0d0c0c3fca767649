package io.scaleout.gateway.cache;

import java.util.Locale;

/** What a reply's Cache-Control allows a shared cache to do. */
public final class CacheControl {
  private CacheControl() {
  }

  /**
   * Seconds a shared cache may keep the reply: s-maxage, else max-age; -1 when it must not be
   * kept (absent, private, no-store, no-cache, or no positive age).
   */
  public static long sharedMaxAgeSeconds(String cacheControl) {
    if (cacheControl == null) {
      return -1;
    }
    long maxAge = -1;
    long sharedMaxAge = -1;
    for (String directive : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
      String d = directive.trim();
      if (d.equals("private") || d.equals("no-store") || d.equals("no-cache")) {
        return -1;
      }
      if (d.startsWith("s-maxage=")) {
        sharedMaxAge = seconds(d.substring(9));
      } else if (d.startsWith("max-age=")) {
        maxAge = seconds(d.substring(8));
      }
    }
    long age = sharedMaxAge >= 0 ? sharedMaxAge : maxAge;
    return age > 0 ? age : -1;
  }

  private static long seconds(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
