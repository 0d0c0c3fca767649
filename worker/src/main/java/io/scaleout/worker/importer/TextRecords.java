package io.scaleout.worker.importer;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads records from text one at a time, never holding more than one bounded record: CSV records
 * (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks) or plain lines. A record
 * longer than the bound is read to its end but kept only as "too long".
 */
final class TextRecords {
  /** A record as read: where it starts, its fields (one for a line), or that it was too long. */
  record Text(long line, List<String> fields, boolean tooLong) {
  }

  private final Reader in;
  private final int maxChars;
  private long line = 1;
  private int pushedBack = -2;

  TextRecords(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The next line (without its line break); null at the end. */
  Text nextLine() throws IOException {
    long start = line;
    StringBuilder text = new StringBuilder();
    boolean tooLong = false;
    int c = read();
    if (c < 0) {
      return null;
    }
    while (c >= 0 && c != '\n') {
      if (c != '\r') {
        tooLong |= !append(text, c);
      }
      c = read();
    }
    if (c == '\n') {
      line++;
    }
    return new Text(start, List.of(text.toString()), tooLong);
  }

  /** The next CSV record; null at the end. */
  Text nextCsv() throws IOException {
    long start = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int length = 0;
    boolean quoted = false;
    boolean tooLong = false;
    int c = read();
    if (c < 0) {
      return null;
    }
    while (c >= 0) {
      if (quoted) {
        if (c == '"') {
          int next = read();
          if (next == '"') {
            tooLong |= !append(field, '"');
          } else {
            quoted = false;
            pushBack(next);
          }
        } else {
          if (c == '\n') {
            line++;
          }
          tooLong |= !append(field, c);
        }
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
      } else if (c == ',') {
        // the separator counts: a line of commas alone is as long as it looks, not empty
        length += field.length() + 1;
        if (!tooLong) {
          fields.add(field.toString());
        }
        field.setLength(0);
      } else if (c == '\n') {
        line++;
        break;
      } else if (c != '\r') {
        tooLong |= !append(field, c);
      }
      tooLong |= length + field.length() > maxChars;
      c = read();
    }
    fields.add(field.toString());
    return new Text(start, tooLong ? List.of() : fields, tooLong);
  }

  private boolean append(StringBuilder into, int c) {
    if (into.length() >= maxChars) {
      return false;
    }
    into.append((char) c);
    return true;
  }

  private int read() throws IOException {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    return in.read();
  }

  private void pushBack(int c) {
    pushedBack = c;
  }
}
