#!/bin/bash
# Builds .gpu/ (git-ignored), what the scripts/gpu_*.sh scripts need on the lent GPU machine, which has torch,
# transformers and accelerate but reaches no package registry: whl/ (vector-quantize-pytorch and its pure-Python
# needs, at the versions installed here) and data/beauty (a copy of ../shared/data/beauty, 3.6 MB).
# Run here (the registry is reachable): bash tools/gpu_bundle.sh; then pass carry=[".gpu"] to the device's run.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf .gpu/whl && mkdir -p .gpu/whl .gpu/data
pkgs=$(python - <<'PY'
from importlib.metadata import version
print(' '.join(f'{p}=={version(p)}' for p in ['vector-quantize-pytorch', 'einops', 'einx', 'loguru', 'torch-einops-utils', 'frozendict', 'fastcore']))
PY
)
python -m pip download -q --no-deps --only-binary=:all: -d .gpu/whl $pkgs
data=${SCOTER_DATA:-../shared/data}
cp -r "$data/beauty" .gpu/data/
ls .gpu/whl; du -sh .gpu
