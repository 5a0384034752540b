#!/usr/bin/env bash
# word2vec on a GPU against the CPU backend of the same machine, from what benchmarks/gpu/prepare.sh put in
# benchmarks/gpu/carry/: no .NET and no OpenCL package needs to be installed, only the GPU driver. Lists the OpenCL
# devices, then trains skip-gram and CBOW (negative sampling, dim 100, window 5, negative 5, min count 5, sample 1e-3)
# for EPOCHS (default 1) on the English benchmark corpus, first on DEVICE, then on the CPU with every core, and prints
# one JSON line per run (corpus words/s, train seconds, analogy accuracy on the 30k most frequent words, WordSim-353).
# Environment:
#   ICD      the vendor library the loader dispatches to (default libnvidia-opencl.so.1, the NVIDIA driver's;
#            libpocl.so.2 for PoCL, as tested here)
#   DEVICE   the --device of the OpenCL runs (default opencl:gpu; opencl for PoCL, whose device is a CPU)
#   EPOCHS   passes over the corpus (default 1);  LINES  train on the corpus' first N lines only (a smoke test)
#   CARRY    the prepared folder (default benchmarks/gpu/carry)
#   MODELS   default "skipgram cbow";  DEVICES  default "$DEVICE cpu"
#   EMBEDDINGS_OPENCL_BATCH_WORDS  corpus words per kernel launch (default 4,096 per compute unit)
#   EMBEDDINGS_OPENCL_ROW_UPDATES  plain, cas or reduction (default: reduction on NVIDIA, else cas; plain on CPUs)
set -euo pipefail
cd "$(dirname "$0")/../.."
carry="${CARRY:-benchmarks/gpu/carry}"; icd="${ICD:-libnvidia-opencl.so.1}"; device="${DEVICE:-opencl:gpu}"; epochs="${EPOCHS:-1}"
[ -f "$carry/cli.tar.xz" ] || { echo "gpu: $carry/cli.tar.xz is missing; run benchmarks/gpu/prepare.sh first" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if command -v xz >/dev/null; then tar -C "$work" -xJf "$carry/cli.tar.xz"
else python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$carry/cli.tar.xz" "$work"; fi
cli="$work/embeddings"

# The loader reads the vendor libraries from $OCL_ICD_VENDORS instead of /etc/OpenCL/vendors; the library loads the
# loader named by EMBEDDINGS_OPENCL_LIBRARY instead of the system's libOpenCL.so.1.
# A bare name must be on the linker's path; the NVIDIA container runtime mounts the driver's libraries in one of these.
if [[ "$icd" != /* ]] && ! ldconfig -p 2>/dev/null | grep -q "$icd"; then
  found=$(find /usr/lib /usr/lib64 /usr/local/nvidia /usr/lib/x86_64-linux-gnu -name "$icd*" 2>/dev/null | head -n 1 || true)
  [ -n "$found" ] && icd="$found"
fi
echo "gpu: ICD $icd"
mkdir "$work/vendors"; echo "$icd" > "$work/vendors/device.icd"
export OCL_ICD_VENDORS="$work/vendors" EMBEDDINGS_OPENCL_LIBRARY="$PWD/$carry/ocl-icd/libOpenCL.so.1"
# Without ICU (a bare machine) .NET runs in invariant-globalization mode; the token file needs no culture data.
if ! ldconfig -p 2>/dev/null | grep -q libicuuc; then export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1; fi

echo "gpu: $(uname -srm); $(nproc) cores; $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo 'no nvidia-smi')"
"$cli" devices || echo "gpu: no OpenCL device listed"

if [ -n "${LINES:-}" ]; then zcat "$carry/data/en.txt.gz" | head -n "$LINES" > "$work/en.txt" || true
else zcat "$carry/data/en.txt.gz" > "$work/en.txt"; fi

for model in ${MODELS:-skipgram cbow}; do
  for where in ${DEVICES:-$device cpu}; do
    start=$(date +%s.%N)
    # A run that fails (a driver that refuses the kernels) prints its error and the others still run.
    if ! "$cli" train --input "$work/en.txt" --output "$work/v.bin" --model "$model" --device "$where" --threads "$(nproc)" \
      --dim 100 --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs "$epochs" --seed 1 --json > "$work/run.json"; then
      echo "{\"model\":\"$model\",\"device\":\"$where\",\"error\":\"train failed\"}"; continue
    fi
    wall=$(awk -v start="$start" -v end="$(date +%s.%N)" 'BEGIN { printf "%.2f", end - start }')
    "$cli" evaluate --vectors "$work/v.bin" --analogies "$carry/data/questions-words.txt" \
      --similarity "$carry/data/wordsim353.tsv" --restrict-vocab 30000 --json > "$work/eval.json" || echo null > "$work/eval.json"
    echo "{\"model\":\"$model\",\"device\":\"$where\",\"epochs\":$epochs,\"lines\":\"${LINES:-all}\",\"batch_words\":\"${EMBEDDINGS_OPENCL_BATCH_WORDS:-default}\",\"row_updates\":\"${EMBEDDINGS_OPENCL_ROW_UPDATES:-default}\",\"wall_s\":$wall,\"run\":$(cat "$work/run.json"),\"eval\":$(cat "$work/eval.json")}"
  done
done
