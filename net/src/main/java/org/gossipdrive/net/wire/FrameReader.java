package org.gossipdrive.net.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.gossipdrive.net.wire.proto.Frame;

/**
 * Reads length-prefixed frames: a big-endian u32 length, then that many bytes of a {@link Frame}.
 * The length is checked before anything is allocated, and every field after decoding.
 */
public final class FrameReader {
  private final InputStream in;
  private volatile int maxFrame;

  public FrameReader(InputStream in, int maxFrame) {
    this.in = in;
    this.maxFrame = maxFrame;
  }

  /** Changes the largest frame accepted from now on (raised once the peer is trusted). */
  public void limit(int maxFrame) {
    this.maxFrame = maxFrame;
  }

  /**
   * The next frame, or {@code null} at a clean end of stream (between frames).
   *
   * @throws WireException for an oversized, truncated or undecodable frame
   */
  public Frame read() throws IOException, WireException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    byte[] rest = in.readNBytes(3);
    if (rest.length < 3) {
      throw new WireException("truncated frame header");
    }
    long length =
        (long) first << 24 | (rest[0] & 0xff) << 16 | (rest[1] & 0xff) << 8 | rest[2] & 0xff;
    if (length > maxFrame) {
      throw new WireException("frame of " + length + " bytes exceeds the limit of " + maxFrame);
    }
    // One array of the exact size, filled in place (readNBytes(int) would gather 16 KiB pieces
    // and copy them again).
    byte[] body = new byte[(int) length];
    int read = in.readNBytes(body, 0, body.length);
    if (read < length) {
      throw new WireException("truncated frame: " + read + " of " + length + " bytes");
    }
    return decode(body);
  }

  /** Decodes and checks one frame body. */
  public static Frame decode(byte[] body) throws WireException {
    try {
      CodedInputStream coded = CodedInputStream.newInstance(body);
      coded.setRecursionLimit(8);
      // bytes fields share the frame's array instead of copying it; each frame has its own array
      coded.enableAliasing(true);
      Frame frame = Frame.parseFrom(coded);
      coded.checkLastTagWas(0);
      // Protobuf files a known field sent with the wrong wire type under "unknown fields"; for us
      // that is a malformed frame, not a message from a newer version.
      for (Frame.BodyCase known : Frame.BodyCase.values()) {
        if (known != Frame.BodyCase.BODY_NOT_SET
            && frame.getUnknownFields().hasField(known.getNumber())) {
          throw new WireException(
              "field " + known.getNumber() + " (" + known + ") has the wrong wire type");
        }
      }
      MessageLimits.check(frame);
      return frame;
    } catch (InvalidProtocolBufferException e) {
      throw new WireException("undecodable frame: " + e.getMessage());
    } catch (EOFException e) {
      throw new WireException("truncated frame");
    } catch (IOException e) {
      throw new WireException("undecodable frame: " + e.getMessage());
    }
  }
}
