package org.gossipdrive.platform;

import org.gossipdrive.engine.hash.Blake3;
import org.gossipdrive.engine.hash.Blake3Provider;

/** Registers the bundled C BLAKE3 with the engine (see META-INF/services). */
public final class NativeBlake3Provider implements Blake3Provider {
  @Override
  public Blake3 create() {
    return NativeBlake3.load();
  }
}
