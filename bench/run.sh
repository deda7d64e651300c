#!/bin/sh
# bench/run.sh: `make bench`. Each part prints its figures as ratios
# against a reference measured in the same run.
set -u
B=${1:-build}
sh bench/console.sh "$B"
sh bench/daemon.sh "$B"
