package io.scaleout.worker.importer;

import io.scaleout.worker.job.JobFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Import files read as streams: CSV quoting across lines, line numbers, shape checks, NDJSON, size bounds. */
class ImportReaderTest {
  @TempDir
  Path dir;

  private Path file(String content) throws IOException {
    Path file = dir.resolve("import-" + System.nanoTime());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static List<ImportRow> all(ImportReader reader) throws IOException {
    List<ImportRow> rows = new ArrayList<>();
    for (List<ImportRow> batch = reader.next(2); !batch.isEmpty(); batch = reader.next(2)) {
      rows.addAll(batch);
    }
    return rows;
  }

  @Test
  void csvRowsKeepTheLineTheyStartOnAndQuotedFieldsMayHoldCommasQuotesAndLineBreaks() throws IOException {
    Path csv = file("\uFEFFsku,name,description,category,priceCents,currency,stock\r\n"
        + "a,Anvil,\"Heavy, black\",tools,1500,EUR,3\r\n"
        + "b,Bellows,\"two\nlines and \"\"quotes\"\"\",tools,700,EUR,1\n"
        + "c,Chisel,,tools,12.5,EUR,1\n"
        + "\n"
        + "d,Drill,,tools,100,EUR\n"
        + "e,Emery,,tools, 250 ,EUR,0");
    try (ImportReader reader = new ImportReader(csv, "csv")) {
      List<ImportRow> rows = all(reader);
      assertThat(rows).extracting(ImportRow::line).containsExactly(2L, 3L, 5L, 7L, 8L);
      assertThat(rows.get(0).product()).isEqualTo(new JsonObject().put("sku", "a").put("name", "Anvil")
          .put("description", "Heavy, black").put("category", "tools").put("priceCents", 1500L).put("currency", "EUR").put("stock", 3L));
      assertThat(rows.get(1).product().getString("description")).isEqualTo("two\nlines and \"quotes\"");
      assertThat(rows.get(2).reason()).contains("priceCents");
      assertThat(rows.get(3).reason()).contains("expected 7 columns, found 6");
      assertThat(rows.get(4).product().getLong("priceCents")).isEqualTo(250L);
      assertThat(reader.percentRead()).isEqualTo(100);
    }
  }

  @Test
  void aHeaderMustNameKnownColumnsAndEveryRequiredOne() throws IOException {
    assertThatThrownBy(() -> new ImportReader(file("sku,name,colour\n"), "csv").next(10))
        .isInstanceOf(JobFailure.class).hasMessageContaining("colour");
    assertThatThrownBy(() -> new ImportReader(file("sku,name\n"), "csv").next(10))
        .isInstanceOf(JobFailure.class).hasMessageContaining("header");
    assertThatThrownBy(() -> new ImportReader(file(""), "csv").next(10)).isInstanceOf(JobFailure.class);
    assertThatThrownBy(() -> new ImportReader(file("x"), "xml")).isInstanceOf(JobFailure.class);
    assertThatThrownBy(() -> new ImportReader(dir.resolve("missing"), "csv")).isInstanceOf(JobFailure.class);
  }

  @Test
  void ndjsonLinesAreObjectsAndATooLongRowIsRejectedWithoutBeingHeld() throws IOException {
    String huge = "{\"sku\":\"" + "x".repeat(ImportReader.MAX_ROW_CHARS + 10) + "\"}";
    Path ndjson = file("{\"sku\":\"a\"}\n{broken\n[1]\n\n" + huge + "\n{\"sku\":\"b\"}\n");
    try (ImportReader reader = new ImportReader(ndjson, "ndjson")) {
      List<ImportRow> rows = all(reader);
      assertThat(rows).extracting(ImportRow::line).containsExactly(1L, 2L, 3L, 5L, 6L);
      assertThat(rows).extracting(row -> row.product() != null).containsExactly(true, false, false, false, true);
      assertThat(rows.get(3).reason()).contains("longer than");
    }
  }

  @Test
  void aCsvRowOfSeparatorsAloneIsTooLongAndHeldAsNothing() throws IOException {
    Path csv = file("sku,name,category,priceCents,currency,stock\n" + ",".repeat(ImportReader.MAX_ROW_CHARS * 4)
        + "\nb,Bellows,tools,700,EUR,1\n");
    try (ImportReader reader = new ImportReader(csv, "csv")) {
      List<ImportRow> rows = all(reader);
      assertThat(rows).extracting(ImportRow::line).containsExactly(2L, 3L);
      assertThat(rows.get(0).reason()).contains("longer than");
      assertThat(rows.get(1).product().getString("name")).isEqualTo("Bellows");
    }
  }

  @Test
  void aMillionRowsAreReadABatchAtATime() throws IOException {
    Path big = dir.resolve("million.csv");
    try (BufferedWriter out = Files.newBufferedWriter(big)) {
      out.write("sku,name,category,priceCents,currency,stock\n");
      for (int i = 0; i < 1_000_000; i++) {
        out.write("sku-" + i + ",Product " + i + ",bulk," + i + ",EUR,1\n");
      }
    }
    long rows = 0;
    long lastLine = 0;
    try (ImportReader reader = new ImportReader(big, "csv")) {
      for (List<ImportRow> batch = reader.next(500); !batch.isEmpty(); batch = reader.next(500)) {
        assertThat(batch.size()).isLessThanOrEqualTo(500);
        rows += batch.stream().filter(row -> row.product() != null).count();
        lastLine = batch.get(batch.size() - 1).line();
      }
    }
    assertThat(rows).isEqualTo(1_000_000L);
    assertThat(lastLine).isEqualTo(1_000_001L);
  }
}
