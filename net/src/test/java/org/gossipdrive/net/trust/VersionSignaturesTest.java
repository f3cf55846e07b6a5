package org.gossipdrive.net.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import org.gossipdrive.engine.Replica;
import org.gossipdrive.engine.ReplicaOptions;
import org.gossipdrive.engine.tree.FileId;
import org.gossipdrive.engine.tree.FileVersion;
import org.gossipdrive.net.identity.DeviceIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionSignaturesTest {
  @TempDir Path dir;

  @Test
  void recordsAreSignedByTheirAuthorAndForgeriesAreNamed() throws Exception {
    DeviceIdentity alice = DeviceIdentity.generate();
    DeviceIdentity mallory = DeviceIdentity.generate();
    TrustedSet trusted = TrustedSet.founding("DRIVE", alice, "alice");
    List<FileVersion> records;
    try (Replica replica =
        Replica.open(
            dir, ReplicaOptions.defaults(alice.id()).withSigner(VersionSignatures.signer(alice)))) {
      replica.writeFile(
          FileId.ROOT, "report.odt", new ByteArrayInputStream(new byte[] {1, 2, 3}), 0644, true);
      records = replica.recordsAfter(alice.id(), 0, 10);
    }
    assertEquals(2, records.size());
    for (FileVersion record : records) {
      assertNull(
          VersionSignatures.problem(record, trusted),
          "authentic record " + record.authorSequence());
    }
    FileVersion file = records.get(1);
    FileVersion renamed = file.withPlace(file.parent(), "evil.odt");
    assertTrue(VersionSignatures.problem(renamed, trusted).contains("does not verify"));

    FileVersion byStranger = file.stamped(file.versionVector(), file.timestamp(), mallory.id(), 1);
    byStranger =
        byStranger.withSignature(
            mallory.sign(org.gossipdrive.engine.tree.VersionCodec.signedBytes(byStranger)));
    assertTrue(VersionSignatures.problem(byStranger, trusted).contains("not a trusted device"));

    FileVersion claimsAlice = file.stamped(file.versionVector(), file.timestamp(), alice.id(), 99);
    claimsAlice =
        claimsAlice.withSignature(
            mallory.sign(org.gossipdrive.engine.tree.VersionCodec.signedBytes(claimsAlice)));
    assertTrue(VersionSignatures.problem(claimsAlice, trusted).contains("does not verify"));
  }
}
