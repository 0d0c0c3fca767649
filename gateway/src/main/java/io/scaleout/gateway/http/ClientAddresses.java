package io.scaleout.gateway.http;

import io.vertx.core.http.HttpServerRequest;

/**
 * The client's address: the peer's, unless the peer is a trusted proxy (nginx in front of the
 * gateways, an ingress controller), then the right-most X-Forwarded-For entry that is not itself a
 * trusted proxy. Entries further left are written by the client and are not believed.
 */
public final class ClientAddresses {
  private final TrustedProxies trustedProxies;

  public ClientAddresses(TrustedProxies trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  public String of(HttpServerRequest request) {
    String peer = request.remoteAddress().hostAddress();
    if (!trustedProxies.contains(peer)) {
      return peer;
    }
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded == null) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return peer;
  }
}
