#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wg-quick against Debian's wg-quick, in network namespaces on this host: the
# seed's hub, HKG POP and backend configs, a full-tunnel client (nftables and
# iptables), Table variants, save/strip, and refusals of bad input.  Without
# the kernel module both use the userspace fallback (wireguard-go).  Then
# hooks holding '#' (selftests/wg-quick/hooks.sh), kept whole as upstream
# keeps them, which Debian's older wg-quick does not.
# WG=/path/to/wg selects the wg our wg-quick uses (default /usr/bin/wg).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/tap.sh
tap_run "" bash selftests/wg-quick/compare.sh
tap_run hooks bash selftests/wg-quick/hooks.sh
tap_done
