# SPDX-License-Identifier: GPL-2.0
# Helpers of the bench scripts (sourced).
#   median          the median of the numbers on stdin, one per line (NA if none)
#   ratio A B       A / B to three decimals (NA if either is NA or B is 0)
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); else print "NA" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || b == 0) print "NA"; else printf "%.3f\n", a / b }'; }
