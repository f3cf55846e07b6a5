#!/usr/bin/env bash
# GossipDrive on macOS (UNTESTED: the project has no Mac to run it on).
# Needs macFUSE (https://osxfuse.github.io) and a Java 25 JDK; build once with Maven:
#   mvn -B -DskipTests install
# Usage: mount-scripts/gossipdrive-macos.sh up --mount ~/GossipDrive
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
java_home=${GOSSIPDRIVE_JAVA_HOME:-$(/usr/libexec/java_home -v 25 2>/dev/null || true)}
[ -n "$java_home" ] || { echo "error: no Java 25 JDK found (set GOSSIPDRIVE_JAVA_HOME)" >&2; exit 1; }
[ -f "$root/tests/target/classpath.txt" ] || { echo "error: build first: mvn -B -DskipTests install" >&2; exit 1; }
[ -d /Library/Filesystems/macfuse.fs ] || { echo "error: macFUSE is not installed" >&2; exit 1; }
exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "$root/tests/target/classes:$(cat "$root/tests/target/classpath.txt")" org.gossipdrive.fs.cli.Main "$@"
