#!/usr/bin/env bash
# Compares two folders written by run.sh. Language-model files and saved word2vec models end with the run's report
# (seconds per epoch) and the checksum, which differ between any two runs; for those, differences in the last
# 128 bytes are reported as such. Files that differ as bytes are then compared by content (payload.py), since the
# native frame changed once (issue 13): a file of the earlier frame and one of the new frame with the same content are
# "identical by content". Exit 1 if anything else differs. Usage: compare.sh BEFORE AFTER
set -uo pipefail
before="$1"; after="$2"; status=0
while IFS= read -r f; do
  if cmp -s "$before/$f" "$after/$f"; then echo "identical  $f"; continue; fi
  size=$(stat -c %s "$before/$f"); size_after=$(stat -c %s "$after/$f" 2>/dev/null || echo -1)
  first=$(cmp "$before/$f" "$after/$f" 2>/dev/null | sed -n 's/.*byte \([0-9]*\).*/\1/p')
  if [ "$size" = "$size_after" ] && [ -n "$first" ] && [ "$first" -gt $((size - 128)) ]; then
    echo "identical  $f (but the trailing report and checksum)"
  elif python3 "$(dirname "$0")/payload.py" "$before/$f" "$after/$f"; then
    echo "identical  $f (by content: same payload in another frame)"
  elif [ $? -eq 2 ]; then
    echo "identical  $f (by content, but the trailing report)"
  else
    echo "DIFFERENT  $f"; status=1
  fi
done < <(cd "$before" && find . -type f ! -name '*.txt' | sort)
exit $status
