#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The device and its sockets as configured over Generic Netlink, across
# namespaces: selftests/vm/tests/netlink-dev.sh.
exec "$(dirname "$0")/ktap-run.sh" netlink-dev.sh debian
