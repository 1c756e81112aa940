#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo -- the edgeProxy WireGuard overlay (seed document) on this
# project's module and tools, in a VM.  Builds what is missing (the module's
# release build, tools/wg/wg), boots Debian's kernel under qemu and runs
# selftests/vm/tests/demo.sh there, showing its progress as it goes.
# Exits non-zero if any check the demo reports fails.
#
#   selftests/demo/demo.sh [--kernel 6.1|6.12] [--debug] [--debian-module]
#
# --debian-module runs the same demo on Debian's wireguard.ko (to tell the
# project's module from the rest when something fails).
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo" || exit 1

kernel=6.1 variant=release impl=ours
while (($#)); do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--debug) variant=debug; shift ;;
	--debian-module) impl=debian; shift ;;
	-h|--help) sed -n '4,14p' "$0"; exit 0 ;;
	*) echo "demo: unknown option $1" >&2; exit 2 ;;
	esac
done

render() {
	sed -u -E 's/^# ?//; s/^ok [0-9]+ - /  ok    /; s/^not ok [0-9]+ - /  FAIL  /; /^1\.\.[0-9]+$/d'
}

echo "demo: building what is needed"
if [[ $impl == ours ]]; then
	ko=$(selftests/vm/build-module.sh "$kernel" "$variant") || { echo "demo: module build failed" >&2; exit 1; }
	echo "  module: $ko"
fi
make -s -C tools/wg >/dev/null && make -s -C tools/wg-mesh >/dev/null ||
	{ echo "demo: building tools/wg or tools/wg-mesh failed" >&2; exit 1; }
echo "  tools:  tools/wg/wg, tools/wg-quick/wg-quick, tools/wg-mesh/wg-mesh"
echo "demo: booting Debian's $kernel kernel in qemu (TCG; the boot takes a few seconds)"

mkdir -p build/vm/runs
marker=$(mktemp build/vm/runs/.demo-start.XXXXXX)
log=$(mktemp /tmp/demo-run.XXXXXX)
selftests/vm/run --kernel "$kernel" --timeout 1800 --no-module \
	selftests/vm/tests/demo.sh "$impl" "$variant" >"$log" 2>&1 &
run=$!

# Follow the guest's output as it is written to the run's shared directory.
out=""
while kill -0 "$run" 2>/dev/null; do
	out=$(find build/vm/runs -maxdepth 2 -path '*/demo.*/stdout' -newer "$marker" 2>/dev/null | head -n1)
	[[ -z $out ]] || break
	sleep 0.5
done
if [[ -n $out ]]; then
	tail -n +1 -f --pid="$run" "$out" 2>/dev/null | render
fi
wait "$run"
rc=$?
rm -f "$marker"
if [[ -z $out ]]; then
	render <"$log"
else
	# The harness's own checks (VM ran, exit status, kernel log) come last.
	sed -n '/VM ran .* to completion/,$p' "$log" | render
fi
rm -f "$log"
if ((rc == 0)); then
	echo "demo: all checks passed"
else
	echo "demo: FAILED (status $rc)"
fi
exit "$rc"
