#!/bin/sh
# usage.sh SCRIPT — print a benchmark script's header comment (what it measures, its usage) as
# its --help; every bench/ script calls it first.
sed -n '2,/^[^#]/p' "$1" | sed -n 's/^# \{0,1\}//p'
