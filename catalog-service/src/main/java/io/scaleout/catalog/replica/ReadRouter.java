package io.scaleout.catalog.replica;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/** Where a read runs: a healthy replica when there is one, else the primary. */
public interface ReadRouter {

  /** A read of one product: on the primary while that product was written recently (read-your-writes). */
  Future<RowSet<Row>> readProduct(long productId, String sql, Tuple params);

  /** Any other read (lists, categories). */
  Future<RowSet<Row>> read(String sql, Tuple params);

  /** Notes a committed write of a product, here or on another instance. */
  void written(long productId);
}
