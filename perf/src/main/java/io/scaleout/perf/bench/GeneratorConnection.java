package io.scaleout.perf.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection of {@link ConstantRate}: it writes a pre-encoded request,
 * reads the whole response (by its Content-Length) into a reused buffer, and is then free for
 * the next. No pipelining: a request waits for a free connection, as with wrk and browsers.
 */
final class GeneratorConnection {
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};
  private static final String CONTENT_LENGTH = "\r\ncontent-length:";

  private final InetSocketAddress address;
  private final Selector selector;
  private final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
  private SocketChannel channel;
  private SelectionKey key;

  /** When the latency of the request in flight counts from (nanoTime), or -1 when free; set by the sender, read by the reader. */
  volatile long measuredFrom = -1;

  GeneratorConnection(InetSocketAddress address, Selector selector) throws IOException {
    this.address = address;
    this.selector = selector;
    open();
  }

  private void open() throws IOException {
    channel = SocketChannel.open(address);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    channel.configureBlocking(false);
    key = channel.register(selector, SelectionKey.OP_READ, this);
    in.clear();
  }

  boolean free() {
    return measuredFrom < 0;
  }

  /** Writes the request whole (a few hundred bytes always fit the socket buffer of an idle connection). */
  void send(ByteBuffer request, long measuredFromNanos) throws IOException {
    measuredFrom = measuredFromNanos;
    ByteBuffer bytes = request.duplicate();
    while (bytes.hasRemaining()) {
      if (channel.write(bytes) == 0) {
        Thread.onSpinWait();
      }
    }
  }

  /**
   * Reads what arrived. Returns the response's status once it is complete, 0 while it is not;
   * throws when the connection failed or the response cannot be read as HTTP/1.1.
   */
  int read() throws IOException {
    int count = channel.read(in);
    if (count < 0) {
      throw new IOException("the server closed the connection");
    }
    int status = completeResponseStatus();
    if (status > 0) {
      in.clear();
      measuredFrom = -1;
    }
    return status;
  }

  /** After a failure: the request in flight is lost, the connection opened anew. */
  void reopen() throws IOException {
    key.cancel();
    channel.close();
    measuredFrom = -1;
    open();
  }

  void close() throws IOException {
    channel.close();
  }

  private int completeResponseStatus() throws IOException {
    int length = in.position();
    byte[] data = in.array();
    int headerEnd = indexOf(data, 0, length, HEADER_END);
    if (headerEnd < 0) {
      if (length == in.capacity()) {
        throw new IOException("response headers larger than " + in.capacity() + " bytes");
      }
      return 0;
    }
    String headers = new String(data, 0, headerEnd, StandardCharsets.ISO_8859_1);
    if (!headers.startsWith("HTTP/1.1 ") || headers.length() < 12) {
      throw new IOException("not an HTTP/1.1 response: " + headers.lines().findFirst().orElse(""));
    }
    int status = Integer.parseInt(headers.substring(9, 12));
    int bodyStart = headerEnd + HEADER_END.length;
    String lower = headers.toLowerCase();
    int contentLength = lower.indexOf(CONTENT_LENGTH);
    if (contentLength < 0) {
      throw new IOException("a response without Content-Length (the targets of the bench all send one)");
    }
    int valueStart = contentLength + CONTENT_LENGTH.length();
    int valueEnd = lower.indexOf("\r\n", valueStart);
    long bodyLength = Long.parseLong(lower.substring(valueStart, valueEnd < 0 ? lower.length() : valueEnd).trim());
    boolean complete = length - bodyStart >= bodyLength;
    if (!complete && length == in.capacity()) {
      throw new IOException("response larger than " + in.capacity() + " bytes");
    }
    return complete ? status : 0;
  }

  private static int indexOf(byte[] data, int from, int to, byte[] pattern) {
    outer:
    for (int i = from; i <= to - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
