package io.scaleout.gateway.http;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A query string whose escapes do not decode is the client's error, answered 400 before any
 * handler parses it: Netty's decoder throws on a broken escape (which would surface as a 500) and
 * silently replaces bytes that are not UTF-8 (which would reach a service as other text).
 */
final class QueryEncoding {
  private QueryEncoding() {
  }

  static void handle(RoutingContext ctx) {
    String query = ctx.request().query();
    if (query == null || decodes(query)) {
      ctx.next();
      return;
    }
    ProblemResponses.send(ctx, new Problem(FailureCode.BAD_REQUEST,
        "The query string has a %-escape that is not two hex digits of UTF-8 text", new JsonObject().put("field", "query")));
  }

  /** Every %XX has two hex digits and the bytes they stand for, with the literal characters, are UTF-8. */
  static boolean decodes(String query) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(query.length());
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c != '%') {
        // the decoder gives the request line's bytes as characters 0..255
        bytes.write(c);
      } else if (i + 2 < query.length() && HexFormat.isHexDigit(query.charAt(i + 1)) && HexFormat.isHexDigit(query.charAt(i + 2))) {
        bytes.write(HexFormat.fromHexDigits(query, i + 1, i + 3));
        i += 2;
      } else {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
