#!/bin/sh
# quickstart.sh - install dependencies, build pybpf, and run the hello example
# end to end: compile it, load it into the kernel, attach it, trigger it by
# running /bin/true, and show what it printed and stored in its map.
# Needs root (BPF and apt); uses sudo when run as another user.
set -eu
cd "$(dirname "$0")/.."

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_root ./scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build build/dev -j "$(nproc)"

echo
echo '$ pybpf compile examples/hello_world.py -o build/dev/hello_world.bpf.o'
build/dev/pybpf compile examples/hello_world.py -o build/dev/hello_world.bpf.o
echo "wrote build/dev/hello_world.bpf.o ($(wc -c < build/dev/hello_world.bpf.o) bytes)"
echo
echo '$ pybpf run examples/hello_world.py -c /bin/true'
as_root build/dev/pybpf run examples/hello_world.py -c /bin/true
