#!/bin/bash
# More seeds of TIGER's paper configuration on Beauty on the lent GPU, trained concurrently (a model this small is
# launch-bound, so two processes share one GPU well). Same settings as scripts/gpu_tiger.sh (results/beauty_tiger_gpu.json,
# seed 42). Needs the bundle .gpu/ (whl/, data/beauty, sid/; see scripts/gpu_tiger.sh).
# Run as: bash scripts/gpu_tiger_seeds.sh <commit> <minutes per process> <seed> [<seed> ...]
C=$1; MIN=$2; shift 2
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpu/whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD SCOTER_DATA=$PWD/.gpu/data PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
for S in "$@"; do
  python3 scripts/tiger_beauty.py --dataset beauty --config paper --sid_dir .gpu/sid --run_dir /tmp/tiger-gpu-seed$S --max_minutes $MIN \
    --epochs 40 --round_size 131413 --valid_users 2000 --batch_size 1024 --lr 2e-3 --warmup_steps 300 --schedule linear \
    --mixed_precision bf16 --patience 8 --test_batch 512 --seed $S --out $OUT/beauty_tiger_gpu_seed$S.json --commit $C > $OUT/train_seed$S.log 2>&1 &
done
wait
tail -n 4 $OUT/train_seed*.log
cd /tmp && tar cf /tmp/tiger_seeds.tar --exclude=last.pt tiger-gpu-seed* && split -b 15M /tmp/tiger_seeds.tar $OUT/tiger_seeds.tar.part-
ls -la $OUT
