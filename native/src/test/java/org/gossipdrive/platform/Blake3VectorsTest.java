package org.gossipdrive.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.gossipdrive.engine.hash.Blake3;
import org.gossipdrive.engine.hash.Hashing;
import org.gossipdrive.engine.hash.JavaBlake3;
import org.junit.jupiter.api.Test;

class Blake3VectorsTest {
  private record Vector(int length, String hash) {}

  private static List<Vector> vectors() throws IOException {
    List<Vector> vectors = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                Blake3VectorsTest.class.getResourceAsStream("/blake3-test-vectors.txt"),
                StandardCharsets.US_ASCII))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.trim().split(" ");
        vectors.add(new Vector(Integer.parseInt(parts[0]), parts[1]));
      }
    }
    assertFalse(vectors.isEmpty());
    return vectors;
  }

  private static byte[] input(int length) {
    byte[] input = new byte[length];
    for (int i = 0; i < length; i++) {
      input[i] = (byte) (i % 251);
    }
    return input;
  }

  private static void checkVectors(Blake3 blake3) throws IOException {
    for (Vector vector : vectors()) {
      assertEquals(
          vector.hash(),
          HexFormat.of().formatHex(blake3.hash(input(vector.length()))),
          blake3.name() + " on " + vector.length() + " bytes");
    }
  }

  @Test
  void nativeMatchesOfficialVectors() throws IOException {
    checkVectors(NativeBlake3.load());
  }

  @Test
  void javaFallbackMatchesOfficialVectors() throws IOException {
    checkVectors(new JavaBlake3());
  }

  @Test
  void engineUsesNativeImplementationOnThisPlatform() {
    assertEquals("native", Hashing.blake3().name());
  }

  @Test
  void nativeAndJavaAgreeOnSlicesOfRandomData() {
    Random random = new Random(42);
    Blake3 nativeBlake3 = NativeBlake3.load();
    Blake3 java = new JavaBlake3();
    byte[] data = new byte[3 << 20];
    random.nextBytes(data);
    for (int i = 0; i < 50; i++) {
      int offset = random.nextInt(data.length);
      int length = random.nextInt(data.length - offset);
      byte[] fromNative = new byte[40];
      nativeBlake3.hash(data, offset, length, fromNative, 5);
      byte[] fromJava = new byte[40];
      java.hash(data, offset, length, fromJava, 5);
      assertArrayEquals(fromJava, fromNative, "slice " + offset + "+" + length);
    }
  }
}
