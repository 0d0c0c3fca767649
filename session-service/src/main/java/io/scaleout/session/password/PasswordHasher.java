package io.scaleout.session.password;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Argon2id (Bouncy Castle) in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}. Verification reads the cost from the stored
 * string, so raising the cost later keeps old hashes valid. CPU-heavy: call it from
 * {@link HashingPool}, never from an event loop.
 */
public final class PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

  private final HashingConfig config;
  private final SecureRandom random = new SecureRandom();

  public PasswordHasher(HashingConfig config) {
    this.config = config;
  }

  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = compute(password, salt, config.memoryKib(), config.iterations(), config.parallelism(), HASH_BYTES);
    return "$argon2id$v=19$m=" + config.memoryKib() + ",t=" + config.iterations() + ",p=" + config.parallelism()
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /** True when {@code password} matches {@code encoded}; false for any malformed hash. */
  public boolean verify(String password, String encoded) {
    String[] parts = encoded.split("\\$");
    if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
      return false;
    }
    try {
      int memory = 0;
      int iterations = 0;
      int parallelism = 0;
      for (String parameter : parts[3].split(",")) {
        int value = Integer.parseInt(parameter.substring(2));
        switch (parameter.substring(0, 2)) {
          case "m=" -> memory = value;
          case "t=" -> iterations = value;
          case "p=" -> parallelism = value;
          default -> {
            return false;
          }
        }
      }
      byte[] salt = B64_DECODE.decode(parts[4]);
      byte[] expected = B64_DECODE.decode(parts[5]);
      return MessageDigest.isEqual(expected, compute(password, salt, memory, iterations, parallelism, expected.length));
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      return false;
    }
  }

  private static byte[] compute(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(iterations)
        .withParallelism(parallelism)
        .withSalt(salt)
        .build());
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
