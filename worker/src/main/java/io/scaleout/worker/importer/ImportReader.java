package io.scaleout.worker.importer;

import io.scaleout.worker.job.JobFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An import file read as a stream, a batch of rows at a time (blocking: call it from a worker
 * thread, one call at a time). CSV needs a header naming its columns; NDJSON is one product object
 * per line. Rows are checked for shape here (columns, integers, JSON); the catalog checks the
 * fields themselves.
 */
public final class ImportReader implements Closeable {
  /** The columns a CSV header may name; the catalog's product fields. */
  static final Set<String> COLUMNS = Set.of("sku", "name", "description", "category", "priceCents", "currency", "stock");
  static final Set<String> REQUIRED = Set.of("sku", "name", "category", "priceCents", "currency", "stock");
  private static final Set<String> INTEGERS = Set.of("priceCents", "stock");
  /** Longest row read; a longer one is rejected without being held. */
  static final int MAX_ROW_CHARS = 64 * 1024;

  private final CountingStream counted;
  private final TextRecords records;
  private final boolean csv;
  private final long size;
  private List<String> header;

  public ImportReader(Path file, String format) {
    if (!format.equals("csv") && !format.equals("ndjson")) {
      throw new JobFailure("an import is csv or ndjson, not " + format);
    }
    try {
      this.size = Math.max(1, Files.size(file));
      this.counted = new CountingStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024));
    } catch (NoSuchFileException e) {
      throw new JobFailure("the upload " + file.getFileName() + " is not in the workspace");
    } catch (IOException e) {
      throw new IllegalStateException("Cannot open " + file + ": " + e.getMessage(), e);
    }
    Reader reader = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)), 16 * 1024);
    this.records = new TextRecords(reader, MAX_ROW_CHARS);
    this.csv = format.equals("csv");
  }

  /** Up to {@code count} rows; empty at the end of the file. */
  public List<ImportRow> next(int count) throws IOException {
    if (csv && header == null) {
      readHeader();
    }
    List<ImportRow> rows = new ArrayList<>(count);
    while (rows.size() < count) {
      TextRecords.Text text = csv ? records.nextCsv() : records.nextLine();
      if (text == null) {
        break;
      }
      if (isBlank(text)) {
        continue;
      }
      rows.add(text.tooLong() ? ImportRow.rejected(text.line(), "the row is longer than " + MAX_ROW_CHARS + " characters")
          : csv ? fromCsv(text) : fromJson(text));
    }
    return rows;
  }

  /** How far into the file reading is, 0..100. */
  public int percentRead() {
    return (int) Math.min(100, counted.count * 100 / size);
  }

  private void readHeader() throws IOException {
    TextRecords.Text text = records.nextCsv();
    if (text == null || text.tooLong()) {
      throw new JobFailure("a CSV import starts with a header line naming its columns");
    }
    List<String> names = text.fields().stream().map(String::strip).map(n -> n.startsWith("\uFEFF") ? n.substring(1) : n).toList();
    for (String name : names) {
      if (!COLUMNS.contains(name)) {
        throw new JobFailure("unknown column '" + name + "' in the header; columns are " + COLUMNS);
      }
    }
    if (!names.containsAll(REQUIRED) || Set.copyOf(names).size() != names.size()) {
      throw new JobFailure("the header must name each of " + REQUIRED + " once (description is optional)");
    }
    header = names;
  }

  private ImportRow fromCsv(TextRecords.Text text) {
    if (text.fields().size() != header.size()) {
      return ImportRow.rejected(text.line(), "expected " + header.size() + " columns, found " + text.fields().size());
    }
    JsonObject product = new JsonObject();
    for (int i = 0; i < header.size(); i++) {
      String column = header.get(i);
      String value = text.fields().get(i);
      if (INTEGERS.contains(column)) {
        try {
          product.put(column, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
          return ImportRow.rejected(text.line(), column + " must be an integer, not '" + abbreviate(value) + "'");
        }
      } else {
        product.put(column, value);
      }
    }
    return ImportRow.of(text.line(), product);
  }

  private static ImportRow fromJson(TextRecords.Text text) {
    try {
      Object value = io.vertx.core.json.Json.decodeValue(text.fields().get(0));
      if (value instanceof JsonObject product) {
        return ImportRow.of(text.line(), product);
      }
      return ImportRow.rejected(text.line(), "each line must be a JSON object");
    } catch (DecodeException e) {
      return ImportRow.rejected(text.line(), "not valid JSON");
    }
  }

  private static boolean isBlank(TextRecords.Text text) {
    return !text.tooLong() && text.fields().size() == 1 && text.fields().get(0).isBlank();
  }

  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }

  @Override
  public void close() throws IOException {
    counted.close();
  }

  /** Counts the bytes read from the file, for progress. */
  private static final class CountingStream extends FilterInputStream {
    private volatile long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
