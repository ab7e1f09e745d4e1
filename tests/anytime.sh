#!/usr/bin/env bash
# The whole suite with the machine's clock moved (libfaketime, Debian package
# `faketime`) to each instant given, as "ZONE|YYYY-MM-DD hh:mm:ss[ +0000]".
# A test that reads the real time instead of keywork's clock fails here.
#
#   tests/anytime.sh few     the instants `make test-anytime` runs
#   tests/anytime.sh all     every instant the suite is known to pass at
#   tests/anytime.sh "UTC|2031-06-15 12:00:00"
set -euo pipefail
cd "$(dirname "$0")/.."

FEW=(
    "Europe/London|2027-03-28 01:01:00 +0000"  # a minute after the clocks go forward
    "UTC|2026-12-31 22:01:00"                  # New Year's Eve, the night shift just begun
    "UTC|2028-02-29 07:29:00"                  # leap day, a minute before the day shift
    "UTC|2031-06-15 12:00:00"                  # five years on
)
ALL=(
    "Europe/London|2027-03-28 00:59:00 +0000"  # a minute before the clocks go forward
    "Europe/London|2027-03-28 01:01:00 +0000"
    "UTC|2027-10-31 01:30:00"                  # the hour that comes twice, second time round
    "UTC|2026-12-31 21:59:00"
    "UTC|2026-12-31 22:01:00"
    "UTC|2028-02-29 07:29:00"
    "UTC|2028-02-29 07:31:00"
    "UTC|2031-06-15 12:00:00"
)

if ! command -v faketime >/dev/null 2>&1; then
    echo "anytime: needs faketime (Debian: apt-get install faketime)" >&2
    exit 2
fi

case "${1:-few}" in
    few) instants=("${FEW[@]}") ;;
    all) instants=("${ALL[@]}") ;;
    *) instants=("$@") ;;
esac

PYTEST=${PYTEST:-.venv/bin/pytest}
failed=()
for instant in "${instants[@]}"; do
    zone=${instant%%|*}
    when=${instant#*|}
    echo "== the suite at $when ($zone)"
    # `faketime` starts the clock at that instant and lets it run, so timers work.
    if ! TZ=$zone faketime "$when" "$PYTEST" -n auto --dist worksteal -p no:cacheprovider; then
        failed+=("$when ($zone)")
    fi
done

if ((${#failed[@]})); then
    printf 'anytime: the suite failed at %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "anytime: the suite passed at all ${#instants[@]} instant(s)"
