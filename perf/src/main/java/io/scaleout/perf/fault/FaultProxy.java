package io.scaleout.perf.fault;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A TCP fault proxy for the chaos suite: listens on local ports, forwards each connection to its
 * target, and on command delays, stalls or resets what passes, so a service can be shown a slow or
 * hanging dependency (Postgres) without touching the dependency itself. Everything runs on one
 * event loop: the faults and the connections they act on need no locking.
 *
 * <p>Usage: {@code FaultProxy CONTROL_PORT LISTEN_PORT=TARGET_HOST:TARGET_PORT...}. The control port
 * answers HTTP on 127.0.0.1: {@code GET /fault} (the fault, open connections, bytes forwarded) and
 * {@code POST /fault?mode=pass|latency|stall|reset[&latency_ms=N]}:
 * <ul>
 *   <li>{@code pass}: bytes go through as they come;</li>
 *   <li>{@code latency}: every chunk towards the target waits {@code latency_ms} (the server sees each
 *       request that much later, replies come back at once; order is kept);</li>
 *   <li>{@code stall}: nothing moves either way (a hung server or a dead link: connections stay open);</li>
 *   <li>{@code reset}: every open connection is closed now (what a pool sees of a server restart or a
 *       failover), then bytes pass again.</li>
 * </ul>
 */
public final class FaultProxy extends VerticleBase {
  private final int controlPort;
  private final List<Route> routes;
  private final Set<Link> links = new HashSet<>();
  private Mode mode = Mode.PASS;
  private long latencyMs;
  private long bytesForwarded;
  private long accepted;
  private NetClient client;

  enum Mode { PASS, LATENCY, STALL }

  record Route(int listenPort, String targetHost, int targetPort) {
    static Route parse(String arg) {
      String[] sides = arg.split("=", 2);
      int colon = sides[1].lastIndexOf(':');
      return new Route(Integer.parseInt(sides[0]), sides[1].substring(0, colon), Integer.parseInt(sides[1].substring(colon + 1)));
    }
  }

  private FaultProxy(int controlPort, List<Route> routes) {
    this.controlPort = controlPort;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2000).setTcpNoDelay(true));
    List<Future<?>> listening = new ArrayList<>();
    for (Route route : routes) {
      listening.add(vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setTcpNoDelay(true))
          .connectHandler(socket -> accept(route, socket))
          .listen(route.listenPort));
    }
    listening.add(vertx.createHttpServer().requestHandler(this::control).listen(controlPort, "127.0.0.1"));
    return Future.all(listening);
  }

  private void accept(Route route, NetSocket inbound) {
    accepted++;
    inbound.pause();
    boolean[] closedMeanwhile = {false};
    inbound.closeHandler(v -> closedMeanwhile[0] = true);
    client.connect(route.targetPort, route.targetHost).onComplete(connected -> {
      if (connected.failed()) {
        inbound.close();
        return;
      }
      if (closedMeanwhile[0]) {
        connected.result().close();
        return;
      }
      Link link = new Link(inbound, connected.result());
      links.add(link);
      link.start();
    });
  }

  private void control(HttpServerRequest request) {
    if (request.method().name().equals("POST")) {
      String asked = request.getParam("mode", "");
      switch (asked) {
        case "pass" -> setMode(Mode.PASS, 0);
        case "latency" -> {
          long ms = parseLatency(request.getParam("latency_ms", ""));
          if (ms < 0) {
            request.response().setStatusCode(400).end("latency_ms: a whole number of milliseconds, 1..60000\n");
            return;
          }
          setMode(Mode.LATENCY, ms);
        }
        case "stall" -> setMode(Mode.STALL, 0);
        case "reset" -> {
          new ArrayList<>(links).forEach(Link::reset);
          setMode(Mode.PASS, 0);
        }
        default -> {
          request.response().setStatusCode(400).end("mode: pass, latency, stall or reset\n");
          return;
        }
      }
    }
    request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("mode", mode.name().toLowerCase()).put("latencyMs", latencyMs).put("connections", links.size())
        .put("accepted", accepted).put("bytesForwarded", bytesForwarded).encode() + "\n");
  }

  private static long parseLatency(String value) {
    try {
      long ms = Long.parseLong(value);
      return ms >= 1 && ms <= 60_000 ? ms : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void setMode(Mode next, long latency) {
    mode = next;
    latencyMs = latency;
    // a copy: a link may end (and leave the set) while it is told
    new ArrayList<>(links).forEach(Link::modeChanged);
  }

  /** One proxied connection: two directions, the one towards the target subject to the latency. */
  private final class Link {
    private final NetSocket inbound;
    private final NetSocket outbound;
    private final Direction up;
    private final Direction down;

    Link(NetSocket inbound, NetSocket outbound) {
      this.inbound = inbound;
      this.outbound = outbound;
      this.up = new Direction(inbound, outbound, true);
      this.down = new Direction(outbound, inbound, false);
    }

    void start() {
      inbound.closeHandler(v -> up.sourceClosed());
      outbound.closeHandler(v -> down.sourceClosed());
      inbound.exceptionHandler(e -> reset());
      outbound.exceptionHandler(e -> reset());
      up.start();
      down.start();
    }

    void modeChanged() {
      up.modeChanged();
      down.modeChanged();
    }

    void reset() {
      links.remove(this);
      inbound.close();
      outbound.close();
    }

    /** Bytes from one socket to the other, held back while the fault says so, in order. */
    private final class Direction {
      private final NetSocket source;
      private final NetSocket target;
      private final boolean delayed;
      private final ArrayDeque<Held> held = new ArrayDeque<>();
      private boolean timerSet;
      private boolean sourceClosed;

      private record Held(long dueNanos, Buffer bytes) { }

      Direction(NetSocket source, NetSocket target, boolean delayed) {
        this.source = source;
        this.target = target;
        this.delayed = delayed;
      }

      void start() {
        source.handler(bytes -> {
          long wait = delayed && mode == Mode.LATENCY ? latencyMs : 0;
          held.add(new Held(System.nanoTime() + wait * 1_000_000, bytes));
          flush();
        });
        target.drainHandler(v -> {
          if (mode != Mode.STALL) {
            source.resume();
          }
        });
        modeChanged();
      }

      void modeChanged() {
        if (mode == Mode.STALL) {
          source.pause();
        } else {
          source.resume();
          flush();
        }
      }

      void sourceClosed() {
        sourceClosed = true;
        flush();
      }

      private void flush() {
        if (mode == Mode.STALL) {
          return;
        }
        long now = System.nanoTime();
        while (!held.isEmpty() && held.peek().dueNanos <= now) {
          Held next = held.poll();
          bytesForwarded += next.bytes.length();
          target.write(next.bytes);
        }
        if (target.writeQueueFull()) {
          source.pause();
        }
        if (!held.isEmpty() && !timerSet) {
          timerSet = true;
          vertx.setTimer(Math.max(1, (held.peek().dueNanos - now) / 1_000_000), id -> {
            timerSet = false;
            flush();
          });
        }
        if (held.isEmpty() && sourceClosed) {
          links.remove(Link.this);
          target.end();
        }
      }
    }
  }

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: FaultProxy CONTROL_PORT LISTEN_PORT=TARGET_HOST:TARGET_PORT...");
      System.exit(2);
    }
    List<Route> routes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      routes.add(Route.parse(args[i]));
    }
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new FaultProxy(Integer.parseInt(args[0]), routes))
        .onSuccess(id -> System.out.println("fault proxy: control on " + args[0] + ", " + routes))
        .onFailure(failure -> {
          failure.printStackTrace();
          System.exit(1);
        });
  }
}
