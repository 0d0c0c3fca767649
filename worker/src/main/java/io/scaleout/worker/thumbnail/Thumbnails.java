package io.scaleout.worker.thumbnail;

import io.scaleout.worker.job.JobFailure;
import io.scaleout.worker.job.JobHandler;

import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * Makes the scaled versions of an image (blocking, CPU-bound: call it from a worker thread). Each
 * version is named by its content hash, so the same upload always gives the same names and a
 * repeated run writes nothing new; a file appears under its name only complete (written aside,
 * then moved).
 */
public final class Thumbnails {
  /** The longest side of each version, in pixels; a smaller image is not enlarged. */
  public static final List<Integer> SIZES = List.of(64, 256, 1024);
  /** Images beyond this are refused before they are decoded (a small file can hold a huge image). */
  static final long MAX_PIXELS = 50_000_000L;
  /** Bytes per pixel of the 8-bit RGB or ARGB copies the scaling draws, on top of the decoded image. */
  private static final int DRAWN_BYTES_PER_PIXEL = 4;

  private static final long MIB = 1024 * 1024;

  private Thumbnails() {
  }

  /**
   * The heap one job may fill decoding and scaling: half of the heap shared by the jobs that can run
   * at once. The pixel count alone did not bound it: a 16-bit RGBA image of 7000 x 7000 pixels (a
   * 100 KB PNG) decodes into 392 MB.
   */
  public static long memoryPerJob(int concurrentJobs) {
    return Runtime.getRuntime().maxMemory() / 2 / Math.max(1, concurrentJobs);
  }

  /**
   * Writes each version into {@code files} and answers their names, in the order of {@link #SIZES};
   * an image whose decoding and scaling would need more than {@code memoryBudget} bytes fails the
   * job before it is decoded.
   */
  public static List<String> make(Path upload, Path files, JobHandler.Progress progress, long memoryBudget) {
    BufferedImage source = decode(upload, memoryBudget);
    progress.report(10);
    boolean jpeg = upload.getFileName().toString().endsWith(".jpg");
    List<String> names = new ArrayList<>();
    for (int size : SIZES) {
      byte[] encoded = encode(scale(source, size), jpeg ? "jpg" : "png");
      names.add(store(files, encoded, size, jpeg ? "jpg" : "png"));
      progress.report(10 + 30 * names.size());
    }
    return names;
  }

  private static BufferedImage decode(Path upload, long memoryBudget) {
    try (ImageInputStream in = ImageIO.createImageInputStream(Files.newInputStream(upload))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new JobFailure("the upload is not a PNG or JPEG image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new JobFailure("the image has more than " + MAX_PIXELS + " pixels");
        }
        long needed = pixels * (decodedBytesPerPixel(reader) + DRAWN_BYTES_PER_PIXEL);
        if (needed > memoryBudget) {
          throw new JobFailure("the image needs " + needed / MIB + " MiB to decode and scale, more than the "
              + memoryBudget / MIB + " MiB a job may use");
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (NoSuchFileException e) {
      throw new JobFailure("the upload " + upload.getFileName() + " is not in the workspace");
    } catch (IOException | IllegalArgumentException e) {
      throw new JobFailure("the image cannot be decoded: " + e.getMessage());
    }
  }

  /** Bytes per pixel of the image as the reader decodes it (every band of 8 or 16 bits, and more). */
  private static int decodedBytesPerPixel(ImageReader reader) throws IOException {
    ImageTypeSpecifier type = reader.getRawImageType(0);
    if (type == null) {
      return 8;
    }
    int bits = 0;
    for (int size : type.getSampleModel().getSampleSize()) {
      bits += size;
    }
    int bytesPerSample = DataBuffer.getDataTypeSize(type.getSampleModel().getDataType()) / 8;
    return Math.max((bits + 7) / 8, type.getSampleModel().getNumBands() * Math.max(1, bytesPerSample));
  }

  /** Halves the image while it is more than twice the target (good quality at any ratio), then the last step. */
  static BufferedImage scale(BufferedImage source, int longest) {
    int width = source.getWidth();
    int height = source.getHeight();
    double factor = Math.min(1.0, (double) longest / Math.max(width, height));
    int targetWidth = Math.max(1, (int) Math.round(width * factor));
    int targetHeight = Math.max(1, (int) Math.round(height * factor));
    BufferedImage current = source;
    do {
      int w = Math.max(targetWidth, current.getWidth() / 2);
      int h = Math.max(targetHeight, current.getHeight() / 2);
      if (current.getWidth() <= targetWidth * 2 && current.getHeight() <= targetHeight * 2) {
        w = targetWidth;
        h = targetHeight;
      }
      current = draw(current, w, h, source.getColorModel().hasAlpha());
    } while (current.getWidth() != targetWidth || current.getHeight() != targetHeight);
    return current;
  }

  private static BufferedImage draw(BufferedImage from, int width, int height, boolean alpha) {
    BufferedImage to = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = to.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(from, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return to;
  }

  private static byte[] encode(BufferedImage image, String format) {
    BufferedImage writable = image;
    if (format.equals("jpg") && image.getColorModel().hasAlpha()) {
      writable = draw(image, image.getWidth(), image.getHeight(), false);
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(writable, format, out)) {
        throw new IllegalStateException("No image writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String store(Path files, byte[] content, int size, String extension) {
    String name = sha256(content).substring(0, 32) + "-" + size + "." + extension;
    Path target = files.resolve(name);
    if (Files.exists(target)) {
      return name;
    }
    try {
      Files.createDirectories(files);
      Path aside = Files.createTempFile(files, ".part-", ".tmp");
      Files.write(aside, content);
      try {
        Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException raced) {
        Files.deleteIfExists(aside);
      }
      return name;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + target, e);
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
