#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The tunnel between two network namespaces through a third (traffic over
# IPv4 and IPv6 outer, then unload): selftests/vm/tests/tunnel-basic.sh.
exec "$(dirname "$0")/ktap-run.sh" tunnel-basic.sh debian basic
