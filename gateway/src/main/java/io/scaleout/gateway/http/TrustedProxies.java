package io.scaleout.gateway.http;

import io.netty.util.NetUtil;
import io.scaleout.common.api.ClientNetworks;
import io.scaleout.common.config.ConfigException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The peers whose X-Forwarded-For is believed: single addresses and CIDR ranges, IPv4 and IPv6
 * ({@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code fd00::/8}, {@code ::1}). An IPv4 address written as
 * IPv6 ({@code ::ffff:10.1.2.3}) is the IPv4 address, so a v4 range matches it; {@code 0.0.0.0/0}
 * is every IPv4 address and {@code ::/0} every other IPv6 one. Entries are literals only (never a
 * host name to look up), and a range must be written by its network address ({@code 10.0.0.0/8},
 * not {@code 10.1.2.3/8}), so a typo fails at start instead of trusting more than meant.
 */
public final class TrustedProxies {
  private static final Pattern PREFIX = Pattern.compile("[0-9]{1,3}");

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /**
   * Parses the entries of {@code variable}; the first that is neither an address nor a range in
   * CIDR notation fails with a {@link ConfigException} naming the variable and the entry.
   */
  public static TrustedProxies parse(String variable, List<String> entries) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : entries) {
      try {
        ranges.add(Range.parse(entry));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("Invalid configuration: " + variable + " entry '" + entry + "' " + e.getMessage()
            + " (expected an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8)");
      }
    }
    return new TrustedProxies(ranges);
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Whether {@code address} (an IP literal, as a peer address or an X-Forwarded-For hop) is trusted; anything else is not. */
  public boolean contains(String address) {
    if (ranges.isEmpty()) {
      return false;
    }
    byte[] bytes = ClientNetworks.literal(address);
    if (bytes == null) {
      return false;
    }
    for (Range range : ranges) {
      if (range.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /** A network address and how many of its leading bits an address must share with it. */
  private record Range(byte[] network, int prefix) {

    /** The range {@code entry} writes; fails with the reason when it writes none. */
    static Range parse(String entry) {
      int slash = entry.indexOf('/');
      byte[] network = ClientNetworks.literal(slash < 0 ? entry : entry.substring(0, slash));
      if (network == null) {
        throw new IllegalArgumentException("is not an IP address");
      }
      int bits = network.length * 8;
      if (slash < 0) {
        return new Range(network, bits);
      }
      String text = entry.substring(slash + 1);
      if (!PREFIX.matcher(text).matches() || Integer.parseInt(text) > bits) {
        throw new IllegalArgumentException("has a prefix length that is not a number in 0.." + bits);
      }
      int prefix = Integer.parseInt(text);
      byte[] masked = masked(network, prefix);
      if (!Arrays.equals(masked, network)) {
        throw new IllegalArgumentException("has bits set beyond its prefix length (its network is "
            + NetUtil.bytesToIpAddress(masked) + "/" + prefix + ")");
      }
      return new Range(network, prefix);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (network[whole] & mask);
    }

    private static byte[] masked(byte[] network, int prefix) {
      byte[] masked = network.clone();
      for (int i = 0; i < masked.length; i++) {
        int keep = Math.max(0, Math.min(8, prefix - i * 8));
        masked[i] = (byte) (masked[i] & ((0xff << (8 - keep)) & 0xff));
      }
      return masked;
    }
  }
}
