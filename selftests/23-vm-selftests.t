#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In-module self-tests (crypto, allowedips, replay counter, rate limiter,
# cookies) of the debug build, at module load, on 6.1 and 6.12.
cd "$(dirname "$0")/.." || exit 1
n=0
for k in 6.1 6.12; do
	while IFS= read -r l; do
		if [[ $l =~ ^(not\ )?ok\ [0-9]+(.*)$ ]]; then
			n=$((n + 1)); echo "${BASH_REMATCH[1]}ok $n${BASH_REMATCH[2]} [$k]"
		elif ! [[ $l =~ ^1\.\. ]]; then echo "$l"; fi
	done < <(selftests/vm/run --kernel $k --timeout 600 selftests/vm/tests/selftests.sh 2>&1)
done
echo "1..$n"
