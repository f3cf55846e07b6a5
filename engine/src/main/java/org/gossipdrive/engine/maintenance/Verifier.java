package org.gossipdrive.engine.maintenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.gossipdrive.engine.chunk.ChunkCodec;
import org.gossipdrive.engine.chunk.CorruptChunkException;
import org.gossipdrive.engine.codec.CorruptRecordException;
import org.gossipdrive.engine.codec.Keys;
import org.gossipdrive.engine.hash.Blake3;
import org.gossipdrive.engine.hash.ChunkId;
import org.gossipdrive.engine.ledger.ChainHead;
import org.gossipdrive.engine.ledger.LedgerCodec;
import org.gossipdrive.engine.ledger.LedgerEntry;
import org.gossipdrive.engine.maintenance.Problem.Kind;
import org.gossipdrive.engine.maintenance.Problem.Severity;
import org.gossipdrive.engine.store.Ledger;
import org.gossipdrive.engine.store.RefCounts;
import org.gossipdrive.engine.store.ReplicaDb;
import org.gossipdrive.engine.store.ReplicaDb.Column;
import org.gossipdrive.engine.store.StoreException;
import org.gossipdrive.engine.store.TreeIndex;
import org.gossipdrive.engine.tree.ChunkRef;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.engine.tree.StoredVersion;
import org.rocksdb.RocksIterator;

/**
 * Walks the whole store and reports precisely what is wrong: every chunk re-hashed, every reference
 * count recomputed from the versions, the tree's indexes cross-checked, and the ledger chain
 * re-hashed from the first entry. Reads only; changes nothing.
 */
public final class Verifier {
  private final ReplicaDb db;
  private final Ledger ledger;
  private final ChunkCodec codec;
  private final List<Problem> problems = new ArrayList<>();
  private final VerifyProgress progress;

  public Verifier(ReplicaDb db, Ledger ledger, ChunkCodec codec) {
    this(db, ledger, codec, new VerifyProgress());
  }

  public Verifier(ReplicaDb db, Ledger ledger, ChunkCodec codec, VerifyProgress progress) {
    this.db = db;
    this.ledger = ledger;
    this.codec = codec;
    this.progress = progress;
  }

  public VerifyReport run() {
    progress.start();
    try {
      return check();
    } finally {
      progress.finish();
    }
  }

  private VerifyReport check() {
    problems.clear();
    long entries = checkChain();
    Map<ChunkId, Long> expectedRefs = new HashMap<>();
    long versions = checkVersions(expectedRefs);
    checkHeadsAndChildren();
    checkRecords();
    checkReferenceCounts(expectedRefs);
    progress.phase("chunks", expectedRefs.size());
    long[] chunkTotals = checkChunks(expectedRefs);
    return new VerifyReport(problems, chunkTotals[0], chunkTotals[1], versions, entries);
  }

  private void error(Kind kind, String subject, String detail) {
    problems.add(new Problem(Severity.ERROR, kind, subject, detail));
  }

  private long checkChain() {
    ChainHead head;
    try {
      head = ledger.head();
    } catch (StoreException e) {
      error(Kind.BROKEN_CHAIN, "ledger head", e.getMessage());
      return 0;
    }
    byte[][] previous = {LedgerCodec.GENESIS};
    long[] expected = {1};
    ledger.forEachStored(
        row -> {
          long sequence;
          try {
            sequence = Keys.u64(row.key(), "ledger key");
          } catch (CorruptRecordException e) {
            error(
                Kind.CORRUPT_RECORD,
                "ledger key " + HexFormat.of().formatHex(row.key()),
                e.getMessage());
            return;
          }
          String subject = "ledger entry #" + sequence;
          if (sequence != expected[0]) {
            error(Kind.BROKEN_CHAIN, subject, "expected entry #" + expected[0] + " here");
          }
          expected[0] = sequence + 1;
          try {
            LedgerEntry entry = LedgerCodec.decode(row.value(), subject);
            if (entry.sequence() != sequence) {
              error(Kind.BROKEN_CHAIN, subject, "claims sequence " + entry.sequence());
            }
            if (!Arrays.equals(entry.previousHash(), previous[0])) {
              error(Kind.BROKEN_CHAIN, subject, "previous hash does not match the entry before it");
            }
          } catch (CorruptRecordException e) {
            error(Kind.CORRUPT_RECORD, subject, e.getMessage());
          }
          previous[0] = LedgerCodec.hash(row.value());
        });
    long count = expected[0] - 1;
    if (count != head.sequence()) {
      error(
          Kind.BROKEN_CHAIN,
          "ledger head",
          "head is #" + head.sequence() + " but the last entry is #" + count);
    } else if (!Arrays.equals(previous[0], head.hash())) {
      error(Kind.BROKEN_CHAIN, "ledger head", "head hash does not match the last entry");
    }
    return count;
  }

  private long checkVersions(Map<ChunkId, Long> expectedRefs) {
    long count = 0;
    try (RocksIterator it = db.iterator(Column.VERSIONS)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        count++;
        try {
          StoredVersion version = TreeIndex.decodeVersion(it.key(), it.value());
          for (ChunkRef chunk : version.version().storedChunks()) {
            expectedRefs.merge(chunk.id(), 1L, Long::sum);
          }
        } catch (CorruptRecordException e) {
          error(
              Kind.CORRUPT_RECORD,
              "version key " + HexFormat.of().formatHex(it.key()),
              e.getMessage());
        }
      }
    }
    return count;
  }

  private void checkHeadsAndChildren() {
    TreeIndex tree = new TreeIndex(db);
    try (RocksIterator it = db.iterator(Column.FILES)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String subject = "file " + HexFormat.of().formatHex(it.key());
        try {
          if (it.key().length != FileId.LENGTH) {
            throw new CorruptRecordException("file key of " + it.key().length + " bytes");
          }
          FileId id = FileId.of(it.key(), 0);
          StoredVersion head = tree.head(id).orElseThrow();
          if (tree.version(id, head.sequence()).isEmpty()) {
            error(
                Kind.TREE_INCONSISTENT,
                subject,
                "head version #" + head.sequence() + " is not in the history");
          }
          FileVersion v = head.version();
          if (!v.deleted()
              && !id.isRoot()
              && !tree.child(v.parent(), v.name()).map(id::equals).orElse(false)) {
            error(
                Kind.TREE_INCONSISTENT,
                subject,
                "live entry " + v.name() + " is missing from its directory");
          }
        } catch (CorruptRecordException | StoreException e) {
          error(Kind.CORRUPT_RECORD, subject, e.getMessage());
        }
      }
    }
    try (RocksIterator it = db.iterator(Column.CHILDREN)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String subject = "directory entry " + HexFormat.of().formatHex(it.key());
        if (it.key().length <= FileId.LENGTH || it.value().length != FileId.LENGTH) {
          error(Kind.CORRUPT_RECORD, subject, "malformed directory entry");
          continue;
        }
        FileId parent = FileId.of(it.key(), 0);
        String name =
            new String(
                it.key(),
                FileId.LENGTH,
                it.key().length - FileId.LENGTH,
                java.nio.charset.StandardCharsets.UTF_8);
        FileId child = FileId.of(it.value(), 0);
        try {
          FileVersion v = tree.head(child).map(StoredVersion::version).orElse(null);
          if (v == null || v.deleted() || !v.parent().equals(parent) || !v.name().equals(name)) {
            error(
                Kind.TREE_INCONSISTENT,
                subject,
                "entry " + name + " points to " + child + " which is not live there");
          }
        } catch (CorruptRecordException e) {
          error(Kind.CORRUPT_RECORD, subject, e.getMessage());
        }
      }
    }
  }

  private void checkRecords() {
    try (RocksIterator it = db.iterator(Column.RECORDS)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        try {
          org.gossipdrive.engine.tree.VersionCodec.decode(it.value(), "record");
        } catch (CorruptRecordException e) {
          error(
              Kind.CORRUPT_RECORD,
              "record key " + HexFormat.of().formatHex(it.key()),
              e.getMessage());
        }
      }
    }
  }

  private void checkReferenceCounts(Map<ChunkId, Long> expectedRefs) {
    Map<ChunkId, Long> unseen = new HashMap<>(expectedRefs);
    try (RocksIterator it = db.iterator(Column.CHUNK_REFS)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (it.key().length != Blake3.HASH_LENGTH || it.value().length != 8) {
          error(
              Kind.CORRUPT_RECORD,
              "reference count " + HexFormat.of().formatHex(it.key()),
              "malformed");
          continue;
        }
        ChunkId id = ChunkId.of(it.key());
        long actual = RefCounts.decode(it.value(), id);
        long expected = unseen.getOrDefault(id, 0L);
        unseen.remove(id);
        if (actual != expected) {
          error(
              Kind.WRONG_REFERENCE_COUNT,
              "chunk " + id,
              "count is " + actual + ", versions reference it " + expected + " times");
        }
      }
    }
    unseen.forEach(
        (id, expected) ->
            error(
                Kind.WRONG_REFERENCE_COUNT,
                "chunk " + id,
                "no count stored, versions reference it " + expected + " times"));
  }

  private long[] checkChunks(Map<ChunkId, Long> expectedRefs) {
    long count = 0;
    long bytes = 0;
    java.util.Set<ChunkId> present = new java.util.HashSet<>();
    try (RocksIterator it = db.iterator(Column.CHUNKS)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (it.key().length != Blake3.HASH_LENGTH) {
          error(
              Kind.CORRUPT_RECORD,
              "chunk key " + HexFormat.of().formatHex(it.key()),
              "not a 32-byte hash");
          continue;
        }
        ChunkId id = ChunkId.of(it.key());
        present.add(id);
        count++;
        try {
          int length = codec.decode(id, it.value()).length;
          bytes += length;
          progress.advance(length);
        } catch (CorruptChunkException e) {
          error(Kind.CORRUPT_CHUNK, "chunk " + id, e.getMessage());
        }
        if (!expectedRefs.containsKey(id)) {
          problems.add(
              new Problem(
                  Severity.WARNING,
                  Kind.UNREFERENCED_CHUNK,
                  "chunk " + id,
                  "no version uses it; garbage collection will remove it"));
        }
      }
    }
    for (ChunkId id : expectedRefs.keySet()) {
      if (!present.contains(id)) {
        error(Kind.MISSING_CHUNK, "chunk " + id, "referenced by a version but not stored");
      }
    }
    return new long[] {count, bytes};
  }
}
