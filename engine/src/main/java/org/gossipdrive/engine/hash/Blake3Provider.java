package org.gossipdrive.engine.hash;

/**
 * Service-provider port through which a faster BLAKE3 (the native one in {@code native/}) plugs
 * into the engine without the engine depending on platform code.
 */
public interface Blake3Provider {
  /**
   * Returns a working implementation, or throws {@link UnsupportedOperationException} with the
   * reason when this platform cannot provide one.
   */
  Blake3 create();
}
