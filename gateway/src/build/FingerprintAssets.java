import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The web UI's build step (run by Maven with Java's source launcher, so it is not part of the
 * gateway): copies SOURCE to TARGET with every file under assets/ renamed to carry the first ten
 * hex digits of its content's SHA-256 ({@code app.js} → {@code app.3f2a9c1e07.js}), so the gateway
 * can serve it as immutable, and rewrites the HTML pages to those names: each quoted
 * {@code /assets/NAME} becomes the fingerprinted name, and the marker {@code <!-- importmap -->}
 * becomes an import map from every module's plain name to its fingerprinted one, so modules import
 * each other by plain name and a changed module changes only its own name, followed by a
 * {@code modulepreload} link per module. A page naming an asset
 * that does not exist fails the build.
 *
 * <p>Usage: {@code java FingerprintAssets.java SOURCE TARGET}
 */
public final class FingerprintAssets {
  private static final Pattern ASSET_REFERENCE = Pattern.compile("\"/assets/([^\"]+)\"");
  private static final String IMPORT_MAP_MARKER = "<!-- importmap -->";

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: java FingerprintAssets.java SOURCE TARGET");
    }
    Path source = Path.of(args[0]);
    Path target = Path.of(args[1]);
    deleteTree(target);
    Map<String, String> renamed = new TreeMap<>();
    Path assets = source.resolve("assets");
    try (Stream<Path> files = Files.walk(assets)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = assets.relativize(file).toString().replace('\\', '/');
        String fingerprinted = fingerprint(name, Files.readAllBytes(file));
        Path out = target.resolve("assets").resolve(fingerprinted);
        Files.createDirectories(out.getParent());
        Files.copy(file, out);
        renamed.put(name, fingerprinted);
      }
    }
    try (Stream<Path> files = Files.list(source)) {
      for (Path page : files.filter(f -> f.toString().endsWith(".html")).toList()) {
        Files.writeString(target.resolve(page.getFileName().toString()), rewrite(page, Files.readString(page), renamed));
      }
    }
    System.out.println("web UI: " + renamed.size() + " assets fingerprinted into " + target);
  }

  static String fingerprint(String name, byte[] content) {
    int dot = name.lastIndexOf('.');
    if (dot <= name.lastIndexOf('/') + 1) {
      throw new IllegalArgumentException("asset " + name + " has no extension");
    }
    return name.substring(0, dot) + "." + sha256(content).substring(0, 10) + name.substring(dot);
  }

  static String rewrite(Path page, String html, Map<String, String> renamed) {
    Matcher reference = ASSET_REFERENCE.matcher(html);
    StringBuilder out = new StringBuilder();
    while (reference.find()) {
      String fingerprinted = renamed.get(reference.group(1));
      if (fingerprinted == null) {
        throw new IllegalStateException(page + " names /assets/" + reference.group(1) + ", which is not in assets/");
      }
      reference.appendReplacement(out, Matcher.quoteReplacement("\"/assets/" + fingerprinted + "\""));
    }
    reference.appendTail(out);
    StringBuilder imports = new StringBuilder();
    StringBuilder preloads = new StringBuilder();
    renamed.forEach((name, fingerprinted) -> {
      if (name.endsWith(".js")) {
        imports.append(imports.isEmpty() ? "" : ",\n    ")
            .append("\"/assets/").append(name).append("\": \"/assets/").append(fingerprinted).append('"');
        // every module fetched at once, not level by level as the imports are found
        preloads.append("\n  <link rel=\"modulepreload\" href=\"/assets/").append(fingerprinted).append("\">");
      }
    });
    String importMap = "<script type=\"importmap\">\n{\"imports\": {\n    " + imports + "\n}}\n</script>" + preloads;
    return out.toString().replace(IMPORT_MAP_MARKER, importMap);
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(file -> {
        try {
          Files.delete(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
