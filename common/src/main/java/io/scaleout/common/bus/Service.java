package io.scaleout.common.bus;

/** The services of the platform and the event-bus addresses each one serves. */
public enum Service {
  GATEWAY("gateway"),
  CATALOG("catalog"),
  SESSION("session"),
  WORKER("worker");

  private final String id;

  Service(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The service with this id, or null. */
  public static Service byId(String id) {
    for (Service service : values()) {
      if (service.id.equals(id)) {
        return service;
      }
    }
    return null;
  }

  /** Request-reply: answers {@link PingReply} from whichever instance the bus picks. */
  public String pingAddress() {
    return pingAddress(id);
  }

  public static String pingAddress(String service) {
    return service + ".ping";
  }
}
