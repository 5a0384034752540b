# Shared by bounded.sh and sigint.sh (sourced from the repository root, with the script's arguments): a temporary folder
# $work removed on exit, the CLI as $cli (the first argument, or a Release build of samples/Embeddings.Cli), and
# $nospace, a 200 MB single line without whitespace or newline.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ $# -ge 1 ]; then
  cli=$1
else
  dotnet build samples/Embeddings.Cli -c Release -v q -nologo -o "$work/cli" >&2
  cli="$work/cli/embeddings"
fi

nospace="$work/one-line-200m-no-whitespace.txt"
head -c 200000000 /dev/zero | tr '\0' x >"$nospace"
