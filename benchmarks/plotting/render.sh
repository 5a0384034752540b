#!/usr/bin/env bash
# Draws the CLI's two pictures (the loss curve of `train --plot` and the word map of `map`) and renders them in
# headless Chromium, to look at by eye. Not part of CI. Needs Debian's chromium (apt-get install chromium).
#
#   benchmarks/plotting/render.sh [OUT]        # default OUT: artifacts/plotting
#
# Trains on Don Quijote from ../shared/data when present, else on the CLI's embedded demo chapters (I–VIII).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-artifacts/plotting}
mkdir -p "$out"
out=$(cd "$out" && pwd) # Chromium wants absolute paths, and OUT may be given either way

# The text between Gutenberg's START and END lines: its English licence would put "the" far out on the map.
corpus=$out/quijote.txt
if [ -f ../shared/data/quijote/quijote.txt.gz ]; then
  zcat ../shared/data/quijote/quijote.txt.gz | sed -n '/^\*\*\* START OF/,/^\*\*\* END OF/p' | sed '1d;$d' > "$corpus"
else
  cp samples/Embeddings.Cli/DemoData/quijote-i-viii.txt "$corpus"
fi

dotnet build samples/Embeddings.Cli -c Release -v quiet -nologo
embeddings() { dotnet samples/Embeddings.Cli/bin/Release/net10.0/embeddings.dll "$@"; }

embeddings preprocess --input "$corpus" --lowercase --tokenizer word --stopwords spanish --output "$out/quijote.tok"
embeddings train --input "$out/quijote.tok" --output "$out/quijote.bin" --dim 50 --min-count 5 --epochs 5 --threads 1 \
  --plot "$out/loss.svg"
embeddings map --vectors "$out/quijote.bin" --words 200 --output "$out/map.svg"

# The window matches the size the CLI draws each SVG at (samples/Shared/Charts.cs via OxyPlot), so the screenshot shows
# the whole picture at 1:1.
render() { chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$3" --screenshot="$out/$2" "file://$out/$1" 2>/dev/null; }
render loss.svg loss.png 800,500
render map.svg map.png 900,700
ls -l "$out"/*.svg "$out"/*.png
