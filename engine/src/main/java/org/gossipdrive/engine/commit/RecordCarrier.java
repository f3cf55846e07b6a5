package org.gossipdrive.engine.commit;

import java.util.List;
import org.gossipdrive.engine.tree.FileVersion;

/** A mutation that also brings records to keep without making them heads (known after it ran). */
public interface RecordCarrier {
  List<FileVersion> recordsToLog();
}
