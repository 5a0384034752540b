#!/usr/bin/env bash
# Sourced by every benchmark script that times a Python anchor (gensim, scikit-learn, PyTorch): installs the Debian
# packages the anchors need, with OpenBLAS as a pip user's numpy/scipy/torch would have it (without
# libopenblas0-pthread, Debian falls back to the reference BLAS and the anchors run 20-35 % slower), then prints the
# BLAS the anchors will load, so every result file says what the anchor ran on.
# Usage: source benchmarks/anchors.sh python3-gensim python3-sklearn …   (extra packages the script needs)
anchor_packages=(libopenblas0-pthread python3-threadpoolctl "$@")
anchor_missing=()
for p in "${anchor_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || anchor_missing+=("$p")
done
if [ "${#anchor_missing[@]}" -gt 0 ]; then
  echo "bench: installing ${anchor_missing[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${anchor_missing[@]}" </dev/null >&2
fi
/usr/bin/python3 - <<'PY' >&2
import json, threadpoolctl, numpy, scipy.linalg  # numpy and scipy load the BLAS
info = [{k: d.get(k) for k in ("internal_api", "version", "num_threads", "filepath")} for d in threadpoolctl.threadpool_info()]
print("bench: anchors' BLAS:", json.dumps(info))
if not any(d["internal_api"] == "openblas" for d in info):
    raise SystemExit("bench: the anchors would run on the reference BLAS, not OpenBLAS; install libopenblas0-pthread")
PY
