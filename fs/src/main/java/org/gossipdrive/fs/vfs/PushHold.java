package org.gossipdrive.fs.vfs;

/** Holds this device's outgoing changes back while an app saves, then sends them as one. */
public interface PushHold {
  PushHold NONE =
      new PushHold() {
        @Override
        public void hold() {}

        @Override
        public void release() {}
      };

  void hold();

  void release();
}
