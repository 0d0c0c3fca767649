package io.scaleout.common.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import net.logstash.logback.appender.LoggingEventAsyncDisruptorAppender;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.Map;

/**
 * Log lines leave the logging thread through a ring buffer and are encoded and written by a
 * thread of their own, so an event loop never waits on stdout (a slow pipe or log driver) and the
 * lines of a busy moment go out in one write. The request id lives on the Vert.x context of the
 * logging thread, which the writer thread does not see: it is copied into the event's MDC here,
 * while the event is still on that thread, and written as the {@code requestId} field.
 */
public final class AsyncJsonAppender extends LoggingEventAsyncDisruptorAppender {
  private static final String REQUEST_ID_FIELD = "requestId";

  @Override
  protected void prepareForDeferredProcessing(ILoggingEvent event) {
    String requestId = RequestId.current();
    if (requestId != null && event instanceof LoggingEvent loggingEvent) {
      Map<String, String> mdc = MDC.getCopyOfContextMap();
      Map<String, String> withId = mdc == null ? new HashMap<>() : new HashMap<>(mdc);
      withId.put(REQUEST_ID_FIELD, requestId);
      loggingEvent.setMDCPropertyMap(withId);
    }
    super.prepareForDeferredProcessing(event);
  }
}
