package io.scaleout.session.user;

import io.scaleout.common.api.Text;
import io.scaleout.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of registration and login bodies; every problem is a 400 naming the field. */
public final class Credentials {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
  private static final int MAX_EMAIL = 254;
  private static final int MAX_NAME = 100;

  private final int passwordMinLength;
  private final int passwordMaxBytes;

  public Credentials(int passwordMinLength, int passwordMaxBytes) {
    this.passwordMinLength = passwordMinLength;
    this.passwordMaxBytes = passwordMaxBytes;
  }

  /** A registration: {email, password, name}. */
  public record Registration(String email, String password, String name) {
  }

  /** A login: {email, password}. */
  public record Login(String email, String password) {
  }

  public Registration registration(Object body) {
    JsonObject json = object(body, Set.of("email", "password", "name"));
    String password = password(json);
    if (password.codePointCount(0, password.length()) < passwordMinLength) {
      throw ServiceException.badField("password", "password must have at least " + passwordMinLength + " characters");
    }
    Object name = json.getValue("name");
    if (!(name instanceof String text) || text.isBlank() || text.length() > MAX_NAME || !Text.clean(text)) {
      throw ServiceException.badField("name", "name must be 1.." + MAX_NAME + " characters of text");
    }
    return new Registration(email(json), password, Normalizer.normalize(text.strip(), Normalizer.Form.NFC));
  }

  public Login login(Object body) {
    JsonObject json = object(body, Set.of("email", "password"));
    return new Login(email(json), password(json));
  }

  private static JsonObject object(Object body, Set<String> fields) {
    if (!(body instanceof JsonObject json)) {
      throw ServiceException.badField("body", "The body must be a JSON object");
    }
    for (String field : json.fieldNames()) {
      if (!fields.contains(field)) {
        throw ServiceException.badField(field, "Unknown field '" + field + "'");
      }
    }
    return json;
  }

  private static String email(JsonObject json) {
    Object value = json.getValue("email");
    if (!(value instanceof String email) || email.length() > MAX_EMAIL || !EMAIL.matcher(email.strip()).matches() || !Text.clean(email)) {
      throw ServiceException.badField("email", "email must be an address like name@example.org");
    }
    return email.strip();
  }

  private String password(JsonObject json) {
    Object value = json.getValue("password");
    if (!(value instanceof String password) || password.isEmpty() || !Text.wellFormed(password)) {
      throw ServiceException.badField("password", "password must be text");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > passwordMaxBytes) {
      throw ServiceException.badField("password", "password must be at most " + passwordMaxBytes + " bytes in UTF-8");
    }
    return password;
  }
}
