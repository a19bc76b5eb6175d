# Sourced by ./bpf4j and ./test: sets JAVA_HOME to a JDK 25 or newer, or exits with a clear message.
# Looks at BPF4J_JAVA_HOME, JAVA_HOME, then the usual install locations.

bpf4j_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

bpf4j_find_jdk() {
  local candidate major
  for candidate in "${BPF4J_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/*25* \
      /opt/java/openjdk /opt/jdk* /usr/local/jdk* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(bpf4j_java_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "bpf4j needs a JDK 25 or newer (FFM and java.lang.classfile), and found none." >&2
  echo "Install one (e.g. Temurin 25 under /usr/lib/jvm) or set BPF4J_JAVA_HOME to it." >&2
  exit 1
}

bpf4j_find_jdk
