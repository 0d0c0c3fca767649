package io.scaleout.common.api;

import io.scaleout.common.bus.ServiceException;

import java.util.regex.Pattern;

/**
 * The ids that appear in paths (products, dead letters): positive integers written as up to 18
 * digits without sign or leading zero, so that each fits a long and has one spelling.
 */
public final class Ids {
  private static final Pattern POSITIVE = Pattern.compile("[1-9][0-9]{0,17}");

  private Ids() {
  }

  public static boolean isId(String value) {
    return value != null && POSITIVE.matcher(value).matches();
  }

  /** The path parameter {@code name} as an id; else a 400 naming it: "{@code what} is a positive integer". */
  public static long pathParam(ApiRequest request, String name, String what) {
    String value = request.pathParam(name);
    if (!isId(value)) {
      throw ServiceException.badField(name, what + " is a positive integer");
    }
    return Long.parseLong(value);
  }
}
