#!/usr/bin/env bash
# Prepares what benchmarks/gpu/run.sh needs on a GPU machine that has neither .NET nor OpenCL packages installed, in
# benchmarks/gpu/carry/ (ignored by git; the device tool carries it with `carry: ["benchmarks/gpu/carry"]`):
#   cli.tar.xz        the embeddings CLI published self-contained for linux-x64 (the .NET runtime inside; xz, since
#                     the carried folder must stay under 64 MiB);
#   ocl-icd/          the OpenCL ICD loader (libOpenCL.so.1) taken out of Debian's ocl-icd-libopencl1 package;
#   data/             the English benchmark corpus and the analogy and WordSim-353 sets.
# Run it here, on the build machine (it needs the .NET SDK and apt), then the device command:
#   bash benchmarks/gpu/run.sh            (NVIDIA: the driver's libnvidia-opencl.so.1)
# The same script, tried here on PoCL:  ICD=libpocl.so.2 DEVICE=opencl bash benchmarks/gpu/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
carry=benchmarks/gpu/carry
rm -rf "$carry"; mkdir -p "$carry/ocl-icd" "$carry/data"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

dotnet publish samples/Embeddings.Cli -c Release -r linux-x64 --self-contained -v q -nologo -o "$work/cli" >/dev/null
# The debugger's libraries are not needed to run and weigh 4 MB.
rm -f "$work/cli/libmscordaccore.so" "$work/cli/libmscordbi.so" "$work/cli/createdump"
tar -C "$work/cli" -cf - . | xz -T2 -6 > "$carry/cli.tar.xz"

# The loader from Debian's package, unpacked without installing it (apt-get download needs no root).
(cd "$work" && apt-get download -q ocl-icd-libopencl1 >/dev/null)
dpkg-deb -x "$work"/ocl-icd-libopencl1_*.deb "$work/deb"
cp -L "$work"/deb/usr/lib/x86_64-linux-gnu/libOpenCL.so.1 "$carry/ocl-icd/"

cp ../shared/data/corpus/en.txt.gz ../shared/data/eval/questions-words.txt ../shared/data/eval/wordsim353.tsv "$carry/data/"
du -sh "$carry"/* | sed 's/^/prepare: /'
echo "prepare: $(du -sm "$carry" | cut -f1) MiB in $carry (the device tool carries at most 64 MiB)"
