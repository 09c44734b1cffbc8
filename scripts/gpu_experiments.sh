#!/bin/bash
# SCoTER-SASRec vs SASRec on Beauty with a carried reasoning store, on the lent GPU (main table + segments, 3 seeds).
# Needs the bundle .gpu/ (git-ignored): whl/ (vector-quantize-pytorch and its pure-Python needs), data/beauty (a copy of
# ../shared/data/beauty), sid/ (semantic_ids.json/.npy of runs/beauty/semantic_ids), and for the experiments the store
# packed with tools/pack_store.py (.gpu/history_store or .gpu/distill_store). Run as: bash scripts/<this> <commit> ...
C=$1; T=${2:-360}; STORE=${3:-history}
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpu/whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD SCOTER_DATA=$PWD/.gpu/data PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name --format=csv,noheader
if [ $STORE = history ]; then python3 tools/pack_store.py unpack .gpu/history_store runs/beauty/history_store || exit 1; S=history
else python3 tools/pack_store.py unpack .gpu/distill_store runs/beauty/distill/store || exit 1; S=runs/beauty/distill/store; fi
start=$(date +%s); touch /tmp/start
timeout $T python3 scripts/experiments.py --dataset beauty --store $S --what main segments --seeds 0 1 2 --commit $C 2>&1 | tee $OUT/exp.log
echo "experiments: $(( $(date +%s) - start )) s (timeout $T)" | tee -a $OUT/exp.log
find results -name '*.json' -newer /tmp/start -exec cp {} $OUT/ \;  # only what this run wrote (at most 8 files come back)
python3 - <<'PY'
# finished runs travel without their optimizer state (they are never trained further; resume reads the loop state)
import json, torch; from pathlib import Path
for d in Path('runs/beauty/experiments').glob('*_seed*'):
    r = d/'result.json'; last = d/'last.pt'
    if r.exists() and last.exists():
        ck = torch.load(last, map_location='cpu', weights_only=False); ck['opt']['state'] = {}; torch.save(ck, last)
        print(d.name, json.loads(r.read_text()))
PY
tar cf /tmp/runs.tar -C runs/beauty experiments && split -b 15M /tmp/runs.tar $OUT/runs.tar.part-
ls -la $OUT
