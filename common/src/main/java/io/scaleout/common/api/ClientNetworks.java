package io.scaleout.common.api;

import io.netty.util.NetUtil;

/**
 * What a per-client limit counts by. An IPv4 address is one client; an IPv6 client is its /64,
 * the network one subscriber is given, where a host may take any address it likes: counted by
 * the address, a single machine would get a fresh budget with every request.
 */
public final class ClientNetworks {
  private ClientNetworks() {
  }

  /** The address itself, or for an IPv6 literal its /64 ("2001:db8:1:2::/64"); never a name lookup. */
  public static String limitKey(String address) {
    byte[] bytes = literal(address);
    if (bytes == null) {
      return address;
    }
    if (bytes.length == 4) {
      return NetUtil.bytesToIpAddress(bytes);
    }
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
    }
    return prefix.append(":/64").toString();
  }

  /**
   * The address's bytes (4 for IPv4, an IPv4-mapped IPv6 address included; 16 for IPv6), or null
   * when it is not a plain IP literal (brackets and zone ids are not); never a name lookup.
   */
  public static byte[] literal(String text) {
    if (text == null || text.indexOf('[') >= 0 || text.indexOf('%') >= 0
        || !(NetUtil.isValidIpV4Address(text) || NetUtil.isValidIpV6Address(text))) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
    if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
      byte[] v4 = new byte[4];
      System.arraycopy(bytes, 12, v4, 0, 4);
      return v4;
    }
    return bytes;
  }

  private static boolean isIpv4Mapped(byte[] v6) {
    for (int i = 0; i < 10; i++) {
      if (v6[i] != 0) {
        return false;
      }
    }
    return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
  }
}
