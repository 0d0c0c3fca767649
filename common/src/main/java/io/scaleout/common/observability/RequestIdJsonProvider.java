package io.scaleout.common.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import net.logstash.logback.composite.AbstractFieldJsonProvider;

import java.io.IOException;

/**
 * Adds {@code requestId} to a JSON log line written on a Vert.x context that carries one. Logging
 * is synchronous (console appender), so the logging thread is the one that did the work.
 */
public final class RequestIdJsonProvider extends AbstractFieldJsonProvider<ILoggingEvent> {
  public RequestIdJsonProvider() {
    setFieldName("requestId");
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    String id = RequestId.current();
    if (id != null) {
      generator.writeStringField(getFieldName(), id);
    }
  }
}
