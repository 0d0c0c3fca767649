package io.scaleout.worker.importer;

import io.vertx.core.json.JsonObject;

/**
 * One row of an import file: the product it describes, or why it cannot describe one.
 *
 * @param line    the line of the file the row starts on (1-based, header included)
 * @param product the product fields for the catalog; null when rejected
 * @param reason  why the row is rejected; null when it is not
 */
public record ImportRow(long line, JsonObject product, String reason) {
  static ImportRow of(long line, JsonObject product) {
    return new ImportRow(line, product, null);
  }

  static ImportRow rejected(long line, String reason) {
    return new ImportRow(line, null, reason);
  }
}
