package org.gossipdrive.net.wire;

/** Protocol version and the hard limits every decoder enforces. */
public final class Protocol {
  /** Peers with another major version cannot talk; a newer minor only adds optional messages. */
  public static final int MAJOR = 1;

  /** 1.4: removals and self-signed renames in the trusted set (ADR 39). */
  public static final int MINOR = 4;

  /** A chunk (at most 16 MiB) plus its message fields fits in one frame. */
  public static final int MAX_FRAME = (16 << 20) + (64 << 10);

  /**
   * A frame before the peer is known to be trusted: its Hello, and everything on a join lane. A
   * Hello or a join request is well under 1 KiB; an unknown key never gets a 16 MiB buffer.
   */
  public static final int MAX_UNTRUSTED_FRAME = 4 << 10;

  public static final int MAX_ID = 64;
  public static final int MAX_NAME = 128;
  public static final int MAX_TEXT = 1024;
  public static final int MAX_ADDRESSES = 16;

  /** Devices one address list may name. */
  public static final int MAX_DEVICES = 1024;

  public static final int MAX_ADDRESS = 255;
  public static final int MAX_RECORD = 1 << 20;
  public static final int MAX_AUTHORS = 1024;
  public static final int MAX_RECORDS_PER_BATCH = 1024;

  /** A version record lists its chunks: 4 MiB is ~110,000 chunks, a file of ~100 GiB. */
  public static final int MAX_VERSION_RECORD = 4 << 20;

  public static final int MAX_CHUNK_IDS = 1024;
  public static final int MAX_CHUNK = 16 << 20;

  /** A drive path (characters); Linux allows 4,096 bytes. */
  public static final int MAX_PATH = 4096;

  /** Locks one device may announce at once. */
  public static final int MAX_LOCKS = 10_000;

  /** One piece of a snapshot file. */
  public static final int MAX_SNAPSHOT_PART = 1 << 20;

  /** A snapshot file: at ~300 bytes a record, room for tens of millions of entries. */
  public static final long MAX_SNAPSHOT_BYTES = 64L << 30;

  private Protocol() {}
}
