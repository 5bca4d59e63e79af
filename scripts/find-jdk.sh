# Sourced by ./brun and ./test: exports JAVA_HOME pointing at a JDK >= 21 and makes sure Maven is there.
# JAVA_HOME wins when it is new enough; otherwise the newest JDK found on the machine.
brun_java_major() {
  # prints the major version of the java binary given as $1
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1 | sed 's/^1\.//'
}
brun_find_jdk() {
  local best="" best_major=0 candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(brun_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then return 0; fi
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(brun_java_major "$candidate/bin/java")
    if [ "${major:-0}" -gt "$best_major" ] 2>/dev/null; then best="$candidate"; best_major="$major"; fi
  done
  if [ "$best_major" -lt 21 ]; then
    echo "brun needs a JDK 21 or newer; none found (JAVA_HOME=${JAVA_HOME:-unset}, searched /usr/lib/jvm and /opt)." >&2
    echo "Install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
brun_find_jdk || exit 2
export PATH="$JAVA_HOME/bin:$PATH"

# Maven builds brun; install Debian's when it is missing (the scripts must work on a fresh machine).
brun_ensure_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1; then
    echo "brun: installing Maven (apt-get install maven)..." >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq maven >/dev/null && return 0
  fi
  echo "brun needs Apache Maven 3.8 or newer to build; install it (e.g. 'apt-get install maven') and retry." >&2
  return 1
}
brun_ensure_maven || exit 2
