package io.scaleout.common.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Standard output through a buffer that {@link AsyncJsonAppender} flushes at the end of each
 * batch of lines (System.out would flush, and make a system call, per line). Only the async
 * appender's thread writes here, so lines never interleave; stopping flushes but leaves the
 * process's stdout open.
 */
public final class BufferedStdoutAppender extends OutputStreamAppender<ILoggingEvent> {
  private static final int BUFFER_BYTES = 64 * 1024;

  @Override
  public void start() {
    OutputStream stdout = new FilterOutputStream(new FileOutputStream(FileDescriptor.out)) {
      // FilterOutputStream would write an array a byte at a time
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
    setImmediateFlush(false);
    setOutputStream(new BufferedOutputStream(stdout, BUFFER_BYTES));
    super.start();
  }
}
