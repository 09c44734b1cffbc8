#!/usr/bin/env bash
# Create the isolated RecBole 1.2.1 environment used by benchmarks/recbole_sasrec.py.
#
# RecBole cannot share the package's environment (it needs numpy<2, pandas<3, old scipy),
# so it gets its own venv, by default at <repo>/.venv-recbole (ignored by git via `.venv*/`).
#
#   bash benchmarks/recbole_env.sh            # create / complete the venv
#   RECBOLE_VENV=/some/where bash benchmarks/recbole_env.sh
#
# Pins and why:
#   torch==2.13.0     CPU wheel available locally; never install an unpinned torch (pulls CUDA builds).
#                     torch >= 2.6 defaults torch.load(weights_only=True), which breaks RecBole's reload of
#                     its best checkpoint -> the runner sets TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1.
#   recbole==1.2.1    the version the benchmark compares against.
#   numpy<2           RecBole 1.2.1 uses np.float etc. / compiled deps built for numpy 1.
#   pandas<3          pandas 3 (copy-on-write) silently skips RecBole's in-place fillna on the feature frames.
#   setuptools<81     RecBole (via its deps) imports pkg_resources, removed in setuptools 81.
#   scipy<1.13        RecBole 1.2.1 imports scipy APIs removed in 1.13.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="${RECBOLE_VENV:-$ROOT/.venv-recbole}"
PY="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --upgrade "pip" >/dev/null
"$VENV/bin/python" -m pip install \
  "torch==2.13.0" "recbole==1.2.1" "numpy<2" "pandas<3" "setuptools<81" "scipy<1.13"
"$VENV/bin/python" - <<'PY'
import os
os.environ.setdefault("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
import torch, recbole, numpy, pandas, scipy
print("recbole", recbole.__version__, "torch", torch.__version__, "numpy", numpy.__version__,
      "pandas", pandas.__version__, "scipy", scipy.__version__)
from recbole.model.sequential_recommender import SASRec  # noqa: F401
PY
echo "RecBole venv ready: $VENV"
