package org.gossipdrive.net.identity;

import java.util.Locale;
import org.gossipdrive.engine.hash.Hashing;
import org.gossipdrive.engine.tree.DeviceId;

/**
 * Device ids: the BLAKE3 hash of the device's Ed25519 public key, cut to 130 bits, written as 26
 * base32 letters plus one Luhn mod 32 check letter, in three groups of nine ({@code
 * ABCDEFGHI-JKLMNOPQR-STUVWXYZ2}). Short enough to read over the phone, long enough that finding
 * another key with the same id is out of reach (2^130 work), and a mistyped letter is caught by the
 * check letter.
 */
public final class DeviceIds {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final int DATA_CHARS = 26;

  private DeviceIds() {}

  /** The id of the device owning {@code rawPublicKey} (32 bytes of Ed25519 public key). */
  public static DeviceId fromPublicKey(byte[] rawPublicKey) {
    if (rawPublicKey.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    byte[] hash = Hashing.blake3().hash(rawPublicKey);
    StringBuilder data = new StringBuilder(DATA_CHARS + 1);
    for (int i = 0; i < DATA_CHARS; i++) {
      data.append(ALPHABET.charAt(fiveBits(hash, i * 5)));
    }
    data.append(checkChar(data));
    return new DeviceId(group(data.toString()));
  }

  /**
   * Reads an id typed or pasted by a person: case, spaces and dashes do not matter.
   *
   * @throws InvalidDeviceIdException saying what is wrong
   */
  public static DeviceId parse(String text) {
    String compact = text.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
    if (compact.length() != DATA_CHARS + 1) {
      throw new InvalidDeviceIdException(
          "a device id has "
              + (DATA_CHARS + 1)
              + " letters and digits, this one has "
              + compact.length());
    }
    for (char c : compact.toCharArray()) {
      if (ALPHABET.indexOf(c) < 0) {
        throw new InvalidDeviceIdException("a device id uses only A-Z and 2-7, not '" + c + "'");
      }
    }
    if (checkChar(compact.substring(0, DATA_CHARS)) != compact.charAt(DATA_CHARS)) {
      throw new InvalidDeviceIdException(
          "this device id has a typo: its check letter does not match");
    }
    return new DeviceId(group(compact));
  }

  private static String group(String compact) {
    return compact.substring(0, 9) + "-" + compact.substring(9, 18) + "-" + compact.substring(18);
  }

  private static int fiveBits(byte[] bytes, int bitOffset) {
    int value = 0;
    for (int i = 0; i < 5; i++) {
      int bit = bitOffset + i;
      value = value << 1 | (bytes[bit >>> 3] >>> (7 - (bit & 7))) & 1;
    }
    return value;
  }

  /** Luhn mod N over the base32 alphabet: catches every single-letter typo and most swaps. */
  static char checkChar(CharSequence data) {
    int n = ALPHABET.length();
    int factor = 2;
    int sum = 0;
    for (int i = data.length() - 1; i >= 0; i--) {
      int addend = factor * ALPHABET.indexOf(data.charAt(i));
      factor = factor == 2 ? 1 : 2;
      sum += addend / n + addend % n;
    }
    return ALPHABET.charAt((n - sum % n) % n);
  }
}
