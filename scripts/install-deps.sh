#!/bin/sh
# install-deps.sh - install pybpf's build and test dependencies (Debian 12).
#
# As root it installs the Debian packages (idempotent: apt-get only adds
# what is missing). As another user it only checks and lists what is missing.
set -eu

PACKAGES="
build-essential cmake ninja-build pkg-config git
llvm-19-dev llvm-19-tools clang-19 libclang-rt-19-dev
libbpf-dev libelf-dev zlib1g-dev libzstd-dev
python3 python3-dev python3-pytest
bpftool iproute2 clang-format systemtap-sdt-dev
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "install-deps: all dependencies are installed"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing" >&2
	echo "install-deps: run this script as root (sudo $0) to install them" >&2
	exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# refresh the package lists once if they are missing or older than a day
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -mtime -1 2>/dev/null | head -n 1)" ]; then
	apt-get update -q
fi
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
echo "install-deps: done"
