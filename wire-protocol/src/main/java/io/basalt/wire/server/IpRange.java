package io.basalt.wire.server;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * The ADDRESS column of a pg_hba rule: a network in CIDR form, or every address ("all"). An IPv4
 * network also matches IPv4-mapped IPv6 clients (::ffff:a.b.c.d), as in PostgreSQL.
 */
public record IpRange(Optional<byte[]> network, int prefixLength) {
  public static final IpRange ALL = new IpRange(Optional.empty(), 0);

  public IpRange {
    network = network.map(byte[]::clone);
    int bits = network.map(n -> n.length * 8).orElse(0);
    if (network.isPresent() && network.get().length != 4 && network.get().length != 16) {
      throw new IllegalArgumentException("network must be 4 or 16 bytes");
    }
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("invalid CIDR mask length " + prefixLength);
    }
  }

  /** Parses "a.b.c.d/n" or "x:y::z/n" (no host names: matching must not depend on DNS). */
  public static IpRange parseCidr(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("invalid IP address \"" + cidr
          + "\": give a CIDR mask (host names are not supported)");
    }
    byte[] address = parseAddress(cidr.substring(0, slash));
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid CIDR mask in address \"" + cidr + "\"");
    }
    if (prefix < 0 || prefix > address.length * 8) {
      throw new IllegalArgumentException("invalid CIDR mask in address \"" + cidr + "\"");
    }
    return new IpRange(Optional.of(address), prefix);
  }

  /** Parses an address and a separate netmask, pg_hba's older two-column form. */
  public static IpRange parseWithMask(String address, String mask) {
    byte[] network = parseAddress(address);
    byte[] maskBytes = parseAddress(mask);
    if (maskBytes.length != network.length) {
      throw new IllegalArgumentException("IP address and mask do not match: " + address + " "
          + mask);
    }
    int prefix = 0;
    boolean seenZero = false;
    for (byte b : maskBytes) {
      for (int bit = 7; bit >= 0; bit--) {
        boolean one = (b >> bit & 1) == 1;
        if (one && seenZero) {
          throw new IllegalArgumentException("invalid IP mask \"" + mask + "\"");
        }
        if (one) {
          prefix++;
        } else {
          seenZero = true;
        }
      }
    }
    return new IpRange(Optional.of(network), prefix);
  }

  static byte[] parseAddress(String text) {
    byte[] address = NetUtil.createByteArrayFromIpAddressString(text);
    if (address == null) {
      throw new IllegalArgumentException("invalid IP address \"" + text + "\"");
    }
    return address;
  }

  @Override
  public Optional<byte[]> network() {
    return network.map(byte[]::clone);
  }

  public boolean contains(InetAddress client) {
    if (network.isEmpty()) {
      return true;
    }
    byte[] net = network.get();
    byte[] addr = client.getAddress();
    if (net.length == 4 && client instanceof Inet6Address && isIpv4Mapped(addr)) {
      addr = Arrays.copyOfRange(addr, 12, 16);
    }
    if (addr.length != net.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (addr[i] != net[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xFF << (8 - rest) & 0xFF;
    return (addr[full] & mask) == (net[full] & mask);
  }

  private static boolean isIpv4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRange r && r.prefixLength == prefixLength
        && r.network.isPresent() == network.isPresent()
        && (network.isEmpty() || Arrays.equals(r.network.get(), network.get()));
  }

  @Override
  public int hashCode() {
    return network.map(Arrays::hashCode).orElse(0) * 31 + prefixLength;
  }

  @Override
  public String toString() {
    return network.map(n -> NetUtil.bytesToIpAddress(n) + "/" + prefixLength).orElse("all");
  }
}
