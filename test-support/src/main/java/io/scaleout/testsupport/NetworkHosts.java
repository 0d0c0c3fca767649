package io.scaleout.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test hosts of the test's own: network namespaces, each linked by a veth pair to a bridge of its own
 * on this machine (which has the bridge's address, {@link #localAddress()}), so processes in them
 * talk over a real network whose links a test can cut and restore. Needs root and iproute2. Closing
 * removes the namespaces, links and bridge (stop the processes in them first).
 */
public final class NetworkHosts implements AutoCloseable {
  /** One namespace: where processes run, its address, and this machine's end of its link. */
  public record Host(String namespace, String address, String link) {
  }

  private final String bridge;
  private final String prefix;
  private final List<Host> hosts = new ArrayList<>();

  private NetworkHosts(String tag, int subnet) {
    this.bridge = "so-br-" + tag;
    this.prefix = "10.213." + subnet + ".";
  }

  /** {@code count} hosts on a fresh /24 of 10.213.0.0/16. */
  public static NetworkHosts create(int count) {
    String tag = UUID.randomUUID().toString().substring(0, 6);
    NetworkHosts network = new NetworkHosts(tag, ThreadLocalRandom.current().nextInt(1, 255));
    try {
      network.ip("link", "add", network.bridge, "type", "bridge");
      network.ip("addr", "add", network.prefix + "1/24", "dev", network.bridge);
      network.ip("link", "set", network.bridge, "up");
      for (int i = 0; i < count; i++) {
        String namespace = "so-" + tag + "-" + i;
        String link = "so-v" + tag + i;
        String address = network.prefix + (i + 2);
        network.ip("netns", "add", namespace);
        network.hosts.add(new Host(namespace, address, link));
        network.ip("link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        network.ip("link", "set", link, "master", network.bridge, "up");
        network.ip("-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
        network.ip("-n", namespace, "link", "set", "eth0", "up");
        network.ip("-n", namespace, "link", "set", "lo", "up");
      }
      return network;
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /** This machine's address on the bridge: members in this JVM bind to it. */
  public String localAddress() {
    return prefix + "1";
  }

  public Host host(int index) {
    return hosts.get(index);
  }

  /** Every address of this network, this machine's first: a TCP-IP members list. */
  public String members() {
    List<String> all = new ArrayList<>(List.of(localAddress()));
    hosts.forEach(h -> all.add(h.address()));
    return String.join(",", all);
  }

  /** The host's link goes down: nothing passes either way, no connection is refused or reset. */
  public void cut(Host host) {
    ip("link", "set", host.link(), "down");
  }

  public void restore(Host host) {
    ip("link", "set", host.link(), "up");
  }

  /** The command prefix that runs a process inside {@code host}'s namespace. */
  public static List<String> inside(Host host) {
    return List.of("ip", "netns", "exec", host.namespace());
  }

  @Override
  public void close() {
    for (Host host : hosts) {
      quietly("link", "del", host.link());
      quietly("netns", "del", host.namespace());
    }
    quietly("link", "del", bridge);
  }

  private void quietly(String... args) {
    try {
      ip(args);
    } catch (RuntimeException ignored) {
      // already gone (a failed create), or removed with its namespace
    }
  }

  private void ip(String... args) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish within 10 s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (process.exitValue() != 0) {
        throw new IllegalStateException(command + " failed (" + process.exitValue() + "): " + output
            + " (network namespaces need root and iproute2)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command + " (iproute2 installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
