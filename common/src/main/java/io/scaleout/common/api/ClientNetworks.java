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
    if (address == null || address.indexOf(':') < 0) {
      return address;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null || bytes.length != 16) {
      return address;
    }
    if (isIpv4Mapped(bytes)) {
      return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
    }
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
    }
    return prefix.append(":/64").toString();
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }
}
