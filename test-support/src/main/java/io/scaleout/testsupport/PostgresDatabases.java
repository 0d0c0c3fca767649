package io.scaleout.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Throw-away databases on the local Postgres (127.0.0.1:5432), one per test class. */
public final class PostgresDatabases {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 5432;
  public static final String USER = "postgres";

  private PostgresDatabases() {
  }

  /** A name for a fresh database; the service under test creates it (and migrates it) at start. */
  public static String uniqueName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  public static void drop(String name) {
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException(name);
    }
    try (Connection conn = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER, "");
         Statement statement = conn.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop " + name + ": " + e.getMessage(), e);
    }
  }

  /** Runs one SQL statement on a database of a server, from the test thread. */
  public static void execute(String host, int port, String database, String sql) {
    try (Connection conn = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, USER, "");
         Statement statement = conn.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Holds an exclusive lock on {@code table} until closed: every statement that touches the table
   * waits, as on a database that stalls (the connection stays open, nothing is refused).
   */
  public static AutoCloseable lockTable(String database, String table) {
    if (!table.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException(table);
    }
    try {
      Connection conn = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, USER, "");
      try (Statement statement = conn.createStatement()) {
        conn.setAutoCommit(false);
        statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
      } catch (SQLException e) {
        conn.close();
        throw e;
      }
      return () -> {
        conn.rollback();
        conn.close();
      };
    } catch (SQLException e) {
      throw new IllegalStateException("cannot lock " + table + " in " + database + ": " + e.getMessage(), e);
    }
  }
}
