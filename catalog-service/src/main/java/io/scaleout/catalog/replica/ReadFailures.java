package io.scaleout.catalog.replica;

import io.vertx.pgclient.PgException;

/**
 * Whose fault a failed replica read is. A data exception (SQLSTATE class 22: a value the statement
 * carries is invalid, e.g. a NUL in text) was caused by the request and fails the same way on the
 * primary; anything else (the connection, a timeout, a server shutting down, a recovery conflict)
 * is the replica's, and takes it out of the rotation.
 */
final class ReadFailures {
  private static final String DATA_EXCEPTION = "22";

  private ReadFailures() {
  }

  static boolean isReplicaFault(Throwable failure) {
    return !(failure instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith(DATA_EXCEPTION));
  }
}
