package org.gossipdrive.net.wire;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.gossipdrive.net.wire.proto.Frame;

/** Writes length-prefixed frames; one frame at a time, from any thread. */
public final class FrameWriter {
  private final OutputStream out;

  public FrameWriter(OutputStream out) {
    this.out = out;
  }

  public void write(Frame frame) throws IOException {
    int length = frame.getSerializedSize();
    if (length > Protocol.MAX_FRAME) {
      throw new IllegalArgumentException(
          "frame of " + length + " bytes exceeds the protocol limit");
    }
    // Header and body in one buffer, so TLS seals them into full records instead of a 4-byte one.
    byte[] buffer = new byte[4 + length];
    buffer[0] = (byte) (length >>> 24);
    buffer[1] = (byte) (length >>> 16);
    buffer[2] = (byte) (length >>> 8);
    buffer[3] = (byte) length;
    CodedOutputStream coded = CodedOutputStream.newInstance(buffer, 4, length);
    frame.writeTo(coded);
    coded.checkNoSpaceLeft();
    synchronized (this) {
      out.write(buffer);
      out.flush();
    }
  }
}
