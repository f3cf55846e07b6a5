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
    synchronized (this) {
      // Header and small fields gather in the coded buffer (one TLS record); a big payload is
      // written straight from its ByteString, without another copy.
      CodedOutputStream coded = CodedOutputStream.newInstance(out, 16 << 10);
      coded.writeFixed32NoTag(Integer.reverseBytes(length));
      frame.writeTo(coded);
      coded.flush();
      out.flush();
    }
  }
}
