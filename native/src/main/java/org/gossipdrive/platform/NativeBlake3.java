package org.gossipdrive.platform;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.gossipdrive.engine.hash.Blake3;

/**
 * The official BLAKE3 C implementation (SSE4.1/AVX2/AVX-512 dispatch), called through the JDK's
 * foreign-function API.
 *
 * <p>The downcall is "critical" with heap access allowed: the JVM hands C a pointer straight into
 * the Java array, so a 4 MiB chunk is hashed without being copied first. That is only sound because
 * the C function neither blocks nor calls back into Java.
 */
public final class NativeBlake3 implements Blake3 {
  private static final String LIBRARY = "libgdblake3.so";

  private final MethodHandle hash;

  private NativeBlake3(MethodHandle hash) {
    this.hash = hash;
  }

  /** Loads the bundled library or throws {@link UnsupportedOperationException} saying why. */
  public static NativeBlake3 load() {
    Path library = NativeLibraries.extract(LIBRARY);
    SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
    MemorySegment symbol =
        lookup
            .find("gd_blake3_hash")
            .orElseThrow(
                () -> new UnsupportedOperationException(library + " has no gd_blake3_hash"));
    MethodHandle handle =
        Linker.nativeLinker()
            .downcallHandle(
                symbol,
                FunctionDescriptor.ofVoid(
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                Linker.Option.critical(true));
    return new NativeBlake3(handle);
  }

  @Override
  public String name() {
    return "native";
  }

  @Override
  public void hash(byte[] input, int offset, int length, byte[] out, int outOffset) {
    java.util.Objects.checkFromIndexSize(offset, length, input.length);
    java.util.Objects.checkFromIndexSize(outOffset, HASH_LENGTH, out.length);
    MemorySegment in = MemorySegment.ofArray(input).asSlice(offset, length);
    MemorySegment target = MemorySegment.ofArray(out).asSlice(outOffset, HASH_LENGTH);
    try {
      hash.invokeExact(in, (long) length, target);
    } catch (Throwable e) {
      throw new IllegalStateException("native BLAKE3 call failed", e);
    }
  }
}
