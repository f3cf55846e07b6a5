# Sourced by the launcher and the test runner: finds a Java 25 JDK or stops with one clear line.
find_java25() {
  local candidate
  for candidate in "${GOSSIPDRIVE_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-* /usr/lib/jvm/jdk-25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if "$candidate/bin/java" -version 2>&1 | head -n 1 | grep -Eq '"25[."]'; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME=$(find_java25); then
  echo "error: GossipDrive needs a Java 25 JDK; install Temurin 25 under /usr/lib/jvm or set GOSSIPDRIVE_JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
