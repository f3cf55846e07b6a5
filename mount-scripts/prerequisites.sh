# Sourced by the launcher and the test runner: installs missing Debian packages when run as root,
# otherwise names them.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing missing packages: ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; } \
      || { echo "error: could not install ${missing[*]}" >&2; exit 1; }
  else
    echo "error: missing packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
}
# BLAKE3 C sources (built into the native library), a C compiler, Maven, FUSE for the drive;
# iproute2 (network namespaces), dbus and gnome-keyring (a real Secret Service), and the tools the
# drive tests run on the mount (python3 with its sqlite3 module, git); chromium and nodejs for the
# status page's browser test; real Blender for the racing saves test.
GOSSIPDRIVE_PACKAGES=(librust-blake3-dev gcc maven fuse3 libfuse2 iproute2 dbus gnome-keyring python3 git)
GOSSIPDRIVE_TEST_PACKAGES=(chromium nodejs rsync blender)
