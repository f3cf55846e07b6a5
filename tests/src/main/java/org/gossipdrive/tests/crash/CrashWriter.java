package org.gossipdrive.tests.crash;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.commit.CommitResult;
import org.gossipdrive.engine.tree.DeviceId;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.StoredVersion;
import org.gossipdrive.tests.data.SyntheticContent;

/**
 * The child process of the crash test: writes versions forever, from several threads at once so
 * group commits form, and prints a line for each commit only after the engine reported it done. The
 * parent kills it with SIGKILL at a random moment.
 *
 * <p>Output: {@code COMMITTED <file id> <sequence> <content seed> <size>}.
 */
public final class CrashWriter {
  private static final int NAMES = 16;
  private static final int SMALL_MAX = 64 << 10;
  private static final int BIG_MAX = 7 << 20;

  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    Path store = Path.of(args[0]);
    long runSeed = Long.parseLong(args[1]);
    PrintStream out =
        new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
    Replica replica = Replica.open(store, ReplicaOptions.defaults(new DeviceId("CRASH-CHILD")));
    synchronized (out) {
      out.println("OPENED");
      out.flush();
    }
    Thread[] writers = new Thread[3];
    for (int t = 0; t < writers.length; t++) {
      long threadSeed = runSeed * 31 + t;
      writers[t] = Thread.ofPlatform().start(() -> writeForever(replica, threadSeed, out));
    }
    for (Thread writer : writers) {
      writer.join();
    }
  }

  private static void writeForever(Replica replica, long threadSeed, PrintStream out) {
    SplittableRandom random = new SplittableRandom(threadSeed);
    for (long i = 0; ; i++) {
      long contentSeed = threadSeed * 1_000_003L + i;
      boolean big = random.nextInt(10) == 0;
      int size =
          big ? (4 << 20) + random.nextInt(BIG_MAX - (4 << 20)) : 1 + random.nextInt(SMALL_MAX);
      String name = "file-" + random.nextInt(NAMES);
      try {
        CompletableFuture<CommitResult> pending =
            replica.writeFileAsync(
                FileId.ROOT,
                name,
                new ByteArrayInputStream(SyntheticContent.bytes(contentSeed, size)),
                0644,
                random.nextBoolean());
        StoredVersion stored = pending.join().only();
        synchronized (out) {
          out.println(
              "COMMITTED "
                  + stored.id()
                  + " "
                  + stored.sequence()
                  + " "
                  + contentSeed
                  + " "
                  + size);
          out.flush();
        }
      } catch (RuntimeException | java.io.IOException e) {
        synchronized (out) {
          out.println("FAILED " + e);
          out.flush();
        }
      }
    }
  }
}
