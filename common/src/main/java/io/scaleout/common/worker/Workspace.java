package io.scaleout.common.worker;

import io.scaleout.common.config.Settings;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The file workspace every gateway and worker instance shares (a local folder, a shared volume):
 * {@code uploads/} holds request bodies a job will read, {@code files/} what jobs made, served at
 * {@code /files/{name}}. Names in {@code files/} carry their content hash, so they never change.
 */
public record Workspace(Path root) {
  /** A file name of {@code files/}: hash, size suffix, extension; nothing that could leave the folder. */
  public static final Pattern FILE_NAME = Pattern.compile("[0-9a-f]{16,64}(-[0-9a-z]{1,16})?\\.(png|jpg|jpeg|webp)");
  /** An upload's name: the id of the job that reads it. */
  public static final Pattern UPLOAD_NAME = Pattern.compile("[0-9a-f-]{36}(\\.[a-z]{1,8})?");

  public static Workspace from(Settings s) {
    return new Workspace(Path.of(s.string("WORKSPACE_DIR")).toAbsolutePath().normalize());
  }

  public Path uploads() {
    return root.resolve("uploads");
  }

  public Path files() {
    return root.resolve("files");
  }

  /** The upload of that name; refuses names that are not an upload's. */
  public Path upload(String name) {
    if (name == null || !UPLOAD_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Not an upload name: " + name);
    }
    return uploads().resolve(name);
  }
}
