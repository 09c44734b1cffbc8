#!/bin/bash
# One lent-GPU call that fills the GPU with two independent jobs at once:
#  1. RecBole's Caser, HGN and BERT4Rec on Beauty, to convergence (RecBole's early stopping: 10 validations without a
#     better valid NDCG@10) or to a wall-time budget per model, one process each (`scoter baselines --gpu --parallel`);
#  2. TIGER (paper configuration) on Beauty with more epochs than the 40 of results/beauty_tiger_gpu*.json.
# Needs the bundle .gpu/ (git-ignored): whl/ (vector-quantize-pytorch and its pure-Python needs: einx, frozendict, loguru,
# torch-einops-utils), whl_rb/ (RecBole's side only: recbole 1.2.1, colorlog 4.7.2, texttable, thop, pandas 2.3.3 --
# RecBole needs pandas<3 --, pytz, tzdata), data/beauty (a copy of ../shared/data/beauty) and sid/ (semantic_ids.json/.npy
# of runs/beauty/semantic_ids).
# The GPU image's numpy is 2.x: RecBole runs on it through scoter_nb.baselines._numpy2_shim (same ml-100k metrics as
# numpy 1.26 in a CPU check).
# Run as: bash scripts/gpu_baselines_tiger.sh <commit> [baseline minutes] [tiger minutes] [tiger epochs]
# TIGER epochs 0 skips TIGER; MODELS='BPR ...' picks the baselines (default Caser HGN BERT4Rec).
# DRY=1 does a CPU dry run of the plumbing on ml-100k / a few TIGER windows.
C=$1; BM=${2:-7}; TM=${3:-6.8}; TE=${4:-50}
if [ -z "$DRY" ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpu/whl/*.whl || exit 1
  # RecBole's own packages (pandas 2.3) apart, so that TIGER runs on the image's packages
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site_rb .gpu/whl_rb/*.whl || exit 1
  export PYTHONPATH=/tmp/site:$PWD; RB_PATH=/tmp/site_rb:/tmp/site:$PWD
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader; GPU=--gpu; DS=beauty; TIGER_EXTRA="--round_size 131413 --valid_users 2000"
else
  export PYTHONPATH=$PWD; RB_PATH=$PWD; GPU=; DS=ml-100k; TIGER_EXTRA="--round_size 512 --valid_users 64 --test_users 64 --mixed_precision no"; OUT=${OUT:-/tmp/gpu_dry_out}; mkdir -p $OUT
fi
[ -z "$DRY" ] && export SCOTER_DATA=$PWD/.gpu/data
export PYTHONUNBUFFERED=1 SCOTER_COMMIT=$C  # provenance: the copy's .git there is the session's starting state, not this code
python3 -c "import torch, numpy, pandas, scipy; print('torch', torch.__version__, 'numpy', numpy.__version__, 'pandas', pandas.__version__, 'scipy', scipy.__version__)"
PYTHONPATH=$RB_PATH python3 -c "import pandas; print('RecBole side: pandas', pandas.__version__)"
PY=${RBPY:-$(command -v python3)}  # RBPY: a RecBole environment's python for the dry run
cp results/${DS}_baselines.json $OUT/${DS}_baselines.json 2>/dev/null  # merged into: the other models' rows stay
MODELS=${MODELS:-Caser HGN BERT4Rec}
PYTHONPATH=$RB_PATH OMP_NUM_THREADS=2 python3 -m scoter_nb baselines --dataset $DS --models $MODELS $GPU --parallel --python $PY \
  --threads 2 --max_minutes $(for m in $MODELS; do echo -n "$m=$BM "; done) --out $OUT/${DS}_baselines.json > $OUT/baselines.log 2>&1 &
[ "$TE" != 0 ] && OMP_NUM_THREADS=4 python3 scripts/tiger_beauty.py --dataset beauty --config paper --sid_dir .gpu/sid --run_dir /tmp/tiger-long \
  --max_minutes $TM --epochs $TE --batch_size 1024 --lr 2e-3 --warmup_steps 300 --schedule linear \
  --mixed_precision bf16 --patience 15 --test_batch 512 $TIGER_EXTRA --out $OUT/beauty_tiger_gpu_e$TE.json --commit $C > $OUT/tiger.log 2>&1 &
wait
cp /tmp/tiger-long/metrics.jsonl $OUT/tiger_metrics.jsonl 2>/dev/null
tar cf $OUT/baseline_logs.tar runs/$DS/baselines/*/driver.log 2>/dev/null
tail -n 4 $OUT/baselines.log $OUT/tiger.log
ls -la $OUT
