package io.scaleout.worker.thumbnail;

import io.scaleout.worker.job.JobFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scaled versions: sizes, aspect ratio, never enlarged, content-hashed names, unreadable input refused. */
class ThumbnailsTest {
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
    List<String> names = Thumbnails.make(upload, files, progress::add);

    assertThat(names).hasSize(3).allMatch(name -> name.matches("[0-9a-f]{32}-(64|256|1024)\\.png"));
    int[] widths = {64, 256, 1024};
    for (int i = 0; i < 3; i++) {
      BufferedImage made = ImageIO.read(files.resolve(names.get(i)).toFile());
      assertThat(made.getWidth()).isEqualTo(widths[i]);
      assertThat(made.getHeight()).isEqualTo(widths[i] / 2);
    }
    assertThat(progress).isSorted().last().isEqualTo(100);
    assertThat(Thumbnails.make(upload, files, p -> { })).as("the same upload, the same names").isEqualTo(names);
    try (var listed = Files.list(files)) {
      assertThat(listed.count()).as("nothing written twice, nothing left aside").isEqualTo(3);
    }
  }

  @Test
  void aSmallImageIsNotEnlargedAndAJpegStaysAJpeg() throws IOException {
    List<String> names = Thumbnails.make(image("small.jpg", 100, 80, "jpg"), dir.resolve("files"), p -> { });
    assertThat(names).allMatch(name -> name.endsWith(".jpg"));
    assertThat(ImageIO.read(dir.resolve("files").resolve(names.get(2)).toFile()).getWidth()).isEqualTo(100);
    assertThat(ImageIO.read(dir.resolve("files").resolve(names.get(0)).toFile()).getWidth()).isEqualTo(64);
  }

  @Test
  void whatIsNotAnImageFailsForGood() throws IOException {
    Path text = Files.writeString(dir.resolve("not-an-image.png"), "hello");
    assertThatThrownBy(() -> Thumbnails.make(text, dir, p -> { })).isInstanceOf(JobFailure.class).hasMessageContaining("not a PNG");
    assertThatThrownBy(() -> Thumbnails.make(dir.resolve("gone.png"), dir, p -> { })).isInstanceOf(JobFailure.class);
  }
}
