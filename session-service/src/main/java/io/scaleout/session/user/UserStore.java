package io.scaleout.session.user;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/** Users in the service's own database; SQL in one place. */
public final class UserStore {
  private static final String COLUMNS = "id::text AS id, email, name, roles, password_hash";
  private static final String INSERT =
      "INSERT INTO users (email, name, password_hash, roles) VALUES ($1, $2, $3, $4) RETURNING " + COLUMNS;
  private static final String BY_EMAIL = "SELECT " + COLUMNS + " FROM users WHERE email_key = lower($1)";
  private static final String UNIQUE_VIOLATION = "23505";

  /** A user as stored: the public part and the password hash. */
  public record User(JsonObject json, String passwordHash) {
    public String id() {
      return json.getString("id");
    }

    public List<String> roles() {
      return json.getJsonArray("roles").stream().map(Object::toString).toList();
    }
  }

  private final SqlClient client;

  public UserStore(SqlClient client) {
    this.client = client;
  }

  public Future<User> insert(String email, String name, String passwordHash, List<String> roles) {
    return client.preparedQuery(INSERT).execute(Tuple.of(email, name, passwordHash, roles.toArray(new String[0])))
        .map(rows -> user(rows.iterator().next()))
        .recover(failure -> failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
            ? Future.failedFuture(new ServiceException(FailureCode.CONFLICT, "An account with this email exists",
                new JsonObject().put("field", "email")))
            : Future.failedFuture(failure));
  }

  /** The user with this email (any case), or null. */
  public Future<User> byEmail(String email) {
    return client.preparedQuery(BY_EMAIL).execute(Tuple.of(email))
        .map(rows -> rows.size() == 0 ? null : user(rows.iterator().next()));
  }

  private static User user(Row row) {
    JsonArray roles = new JsonArray();
    for (String role : row.getArrayOfStrings("roles")) {
      roles.add(role);
    }
    return new User(new JsonObject().put("id", row.getString("id")).put("email", row.getString("email"))
        .put("name", row.getString("name")).put("roles", roles), row.getString("password_hash"));
  }
}
