#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# seed.sh OUTDIR -- the edgeProxy seed's twelve configs as written (the
# demo's writers, selftests/demo/configs.sh, fresh keys from tools/wg/wg)
# under OUTDIR/netns/NODE/wireguard/wg0.conf, keys under OUTDIR/keys.
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
. "$repo/selftests/demo/model.sh"
. "$repo/selftests/wg-quick/seed-configs.sh"
. "$repo/selftests/demo/configs.sh"
PATH=$repo/tools/wg:$PATH
demo_keys "$out/keys" >/dev/null || exit 1
demo_configs "$out/keys" "$out/netns" "${2:-mesh}"
