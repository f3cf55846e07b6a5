package org.gossipdrive.engine.hash;

import java.lang.System.Logger.Level;
import java.util.ServiceLoader;

/** Picks the fastest BLAKE3 available once per JVM: a registered provider, else pure Java. */
public final class Hashing {
  private static final System.Logger LOG = System.getLogger(Hashing.class.getName());
  private static final Blake3 BEST = choose();

  private Hashing() {}

  /** The BLAKE3 the whole process uses. */
  public static Blake3 blake3() {
    return BEST;
  }

  private static Blake3 choose() {
    for (Blake3Provider provider : ServiceLoader.load(Blake3Provider.class)) {
      try {
        return provider.create();
      } catch (UnsupportedOperationException | LinkageError e) {
        LOG.log(
            Level.WARNING,
            "native BLAKE3 unavailable ({0}); using pure-Java BLAKE3, hashing will be slower",
            e.getMessage());
        return new JavaBlake3();
      }
    }
    LOG.log(
        Level.INFO,
        "no native BLAKE3 on the class path; using pure-Java BLAKE3, hashing will be slower");
    return new JavaBlake3();
  }
}
