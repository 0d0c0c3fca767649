package io.scaleout.worker.thumbnail;

import io.scaleout.worker.job.JobFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Scaled versions: sizes, aspect ratio, never enlarged, content-hashed names, unreadable input and
 * images too large for a job's share of the heap refused before they are decoded.
 */
class ThumbnailsTest {
  private static final long ENOUGH = 512L * 1024 * 1024;
  @TempDir
  Path dir;

  private Path image(String name, int width, int height, String format) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < width; x += 7) {
      image.setRGB(x, x * height / width, 0xff8800);
    }
    Path file = dir.resolve(name);
    ImageIO.write(image, format, file.toFile());
    return file;
  }

  @Test
  void makesEachSizeKeepingTheAspectRatioAndNamesThemByContent() throws IOException {
    Path upload = image("0b1c9a5e-1111-2222-3333-444455556666.png", 3000, 1500, "png");
    Path files = dir.resolve("files");
    List<Integer> progress = new ArrayList<>();
    List<String> names = Thumbnails.make(upload, files, progress::add, ENOUGH);

    assertThat(names).hasSize(3).allMatch(name -> name.matches("[0-9a-f]{32}-(64|256|1024)\\.png"));
    int[] widths = {64, 256, 1024};
    for (int i = 0; i < 3; i++) {
      BufferedImage made = ImageIO.read(files.resolve(names.get(i)).toFile());
      assertThat(made.getWidth()).isEqualTo(widths[i]);
      assertThat(made.getHeight()).isEqualTo(widths[i] / 2);
    }
    assertThat(progress).isSorted().last().isEqualTo(100);
    assertThat(Thumbnails.make(upload, files, p -> { }, ENOUGH)).as("the same upload, the same names").isEqualTo(names);
    try (var listed = Files.list(files)) {
      assertThat(listed.count()).as("nothing written twice, nothing left aside").isEqualTo(3);
    }
  }

  @Test
  void aSmallImageIsNotEnlargedAndAJpegStaysAJpeg() throws IOException {
    List<String> names = Thumbnails.make(image("small.jpg", 100, 80, "jpg"), dir.resolve("files"), p -> { }, ENOUGH);
    assertThat(names).allMatch(name -> name.endsWith(".jpg"));
    assertThat(ImageIO.read(dir.resolve("files").resolve(names.get(2)).toFile()).getWidth()).isEqualTo(100);
    assertThat(ImageIO.read(dir.resolve("files").resolve(names.get(0)).toFile()).getWidth()).isEqualTo(64);
  }

  @Test
  void whatIsNotAnImageFailsForGood() throws IOException {
    Path text = Files.writeString(dir.resolve("not-an-image.png"), "hello");
    assertThatThrownBy(() -> Thumbnails.make(text, dir, p -> { }, ENOUGH)).isInstanceOf(JobFailure.class).hasMessageContaining("not a PNG");
    assertThatThrownBy(() -> Thumbnails.make(dir.resolve("gone.png"), dir, p -> { }, ENOUGH)).isInstanceOf(JobFailure.class);
  }

  @Test
  void aSmallFileHoldingAHugeDeepImageFailsTheJobNotTheJvm() throws IOException {
    // 7000 x 7000 pixels of 16-bit RGBA: 392 MB decoded, about 400 KB as a PNG
    Path bomb = deepPng(dir.resolve("bomb.png"), 7000, 7000);
    System.out.println("MEASURED a " + Files.size(bomb) / 1024 + " KB PNG of 7000 x 7000 16-bit RGBA pixels");
    assertThat(Files.size(bomb)).isLessThan(2L * 1024 * 1024);

    assertThatThrownBy(() -> Thumbnails.make(bomb, dir.resolve("files"), p -> { }, Thumbnails.memoryPerJob(2)))
        .isInstanceOf(JobFailure.class).hasMessageContaining("MiB to decode");
    // a 1000 x 1000 one of the same depth fits a job's share
    List<String> names = Thumbnails.make(deepPng(dir.resolve("deep.png"), 1000, 1000), dir.resolve("files"), p -> { },
        Thumbnails.memoryPerJob(2));
    assertThat(names).hasSize(Thumbnails.SIZES.size());
  }

  /** A PNG of black 16-bit RGBA pixels, written row by row through a deflater (never held whole). */
  private static Path deepPng(Path file, int width, int height) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream rows = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION))) {
      byte[] row = new byte[1 + width * 8];
      for (int y = 0; y < height; y++) {
        rows.write(row);
      }
    }
    ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 16).put((byte) 6)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      chunk(out, "IHDR", header.array());
      chunk(out, "IDAT", idat.toByteArray());
      chunk(out, "IEND", new byte[0]);
    }
    return file;
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeInt(data.length);
    out.write(name);
    out.write(data);
    out.writeInt((int) crc.getValue());
  }
}
