package io.scaleout.common.bus;

/**
 * Every address a service registers is also registered per instance, so a caller that chose an
 * instance (power of two choices, outlier ejection) sends to exactly that one.
 */
public final class InstanceAddresses {
  private InstanceAddresses() {
  }

  public static String of(String address, String instance) {
    return address + "@" + instance;
  }

  /** The shared address an address of either kind stands for. */
  public static String shared(String address) {
    int at = address.lastIndexOf('@');
    return at < 0 ? address : address.substring(0, at);
  }
}
