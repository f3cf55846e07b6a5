package org.gossipdrive.fs.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The home's {@code config} file (docs/config.md): {@code key = value} lines read by {@code up};
 * options on the command line win over it. Unknown keys are refused, so a typo is not silently
 * ignored.
 */
final class ConfigFile {
  static final String NAME = "config";

  /** Every key, with the default written by {@code init} and a line of help. */
  static final Map<String, String[]> KEYS = keys();

  private final Path file;
  private final Map<String, String> values;

  private ConfigFile(Path file, Map<String, String> values) {
    this.file = file;
    this.values = values;
  }

  private static Map<String, String[]> keys() {
    Map<String, String[]> keys = new LinkedHashMap<>();
    keys.put("listen", new String[] {"0.0.0.0:7733", "where peers connect (HOST:PORT)"});
    keys.put(
        "advertise",
        new String[] {
          "", "where peers should dial this device, comma list of HOST:PORT (empty: listen address)"
        });
    keys.put("mount", new String[] {"", "where the drive appears (empty: <home>/drive)"});
    keys.put("discovery", new String[] {"true", "find peers on the LAN by mDNS (true/false)"});
    keys.put("api", new String[] {"127.0.0.1:0", "the local API and status page, loopback only"});
    keys.put(
        "anti-entropy",
        new String[] {"PT10S", "how often peers compare indexes (ISO-8601 duration)"});
    keys.put(
        "snapshot-after",
        new String[] {
          String.valueOf(org.gossipdrive.net.sync.Replicator.DEFAULT_SNAPSHOT_THRESHOLD),
          "records a peer may lag behind before it gets a snapshot instead of a replay"
        });
    keys.put(
        "lock-lease",
        new String[] {"PT30S", "how long peers keep this device's locks after losing it"});
    keys.put(
        "lock-companions",
        new String[] {
          "{name}@, .~lock.{name}#, ~${name}", "names apps create next to a document (comma list)"
        });
    keys.put(
        "save-temporaries",
        new String[] {"{name}@, lu*.tmp, ~WR*.tmp", "names apps save through (comma list)"});
    return java.util.Collections.unmodifiableMap(keys);
  }

  /** The home's config file; empty values when there is none. */
  static ConfigFile of(Path home) {
    Path file = home.resolve(NAME);
    Map<String, String> values = new LinkedHashMap<>();
    if (Files.exists(file)) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException | IllegalArgumentException e) {
        throw new CliException("cannot read " + file + ": " + e.getMessage());
      }
      for (String key : properties.stringPropertyNames()) {
        if (!KEYS.containsKey(key)) {
          throw new CliException(
              "unknown key '"
                  + key
                  + "' in "
                  + file
                  + " (known: "
                  + String.join(", ", KEYS.keySet())
                  + ")");
        }
        values.put(key, properties.getProperty(key).strip());
      }
    }
    return new ConfigFile(file, values);
  }

  /** Writes a commented file with every key at its default, unless one exists. */
  static void writeDefaults(Path home) throws IOException {
    Path file = home.resolve(NAME);
    if (Files.exists(file)) {
      return;
    }
    StringBuilder text = new StringBuilder();
    text.append("# GossipDrive settings for this device, read by `gossipdrive up`.\n");
    text.append("# Options given to `up` win over these. Keys: docs/config.md\n");
    KEYS.forEach(
        (key, help) ->
            text.append("\n# ")
                .append(help[1])
                .append('\n')
                .append(key)
                .append(" = ")
                .append(help[0])
                .append('\n'));
    org.gossipdrive.net.AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty());
  }

  List<String> list(String key) {
    return get(key).map(v -> List.of(v.split("\\s*,\\s*"))).orElse(List.of());
  }

  /** A one-line error naming the file and key. */
  CliException invalid(String key, String why) {
    return new CliException("in " + file + ", " + key + ": " + why);
  }
}
