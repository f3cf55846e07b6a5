package org.gossipdrive.engine.commit;

import java.util.List;
import java.util.Optional;
import org.gossipdrive.engine.chunk.EncodedChunk;

/**
 * File content cut, hashed and partly stored, waiting for its commit.
 *
 * @param inlineChunks new chunks small enough to ride in the commit's own WAL batch
 * @param upload present when the new chunks were too big for that and went straight to blob files
 * @param newBytes bytes of chunks this replica did not hold before (after deduplication)
 */
public record StagedContent(
    Mutations.Content content,
    List<EncodedChunk> inlineChunks,
    Optional<PendingUpload> upload,
    long newBytes) {}
