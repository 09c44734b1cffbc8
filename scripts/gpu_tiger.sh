#!/bin/bash
# TIGER on Beauty on the lent GPU: speed benchmark, then paper-configuration training under a time budget, then test.
# Needs the bundle .gpu/ (git-ignored): whl/ (vector-quantize-pytorch and its pure-Python needs), data/beauty (a copy of
# ../shared/data/beauty), sid/ (semantic_ids.json/.npy of runs/beauty/semantic_ids), and for the experiments the store
# packed with tools/pack_store.py (.gpu/history_store or .gpu/distill_store). Run as: bash scripts/<this> <commit> ...
C=$1; MIN=${2:-6.3}
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpu/whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD SCOTER_DATA=$PWD/.gpu/data PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv
python3 -c "import torch, transformers, accelerate; print(torch.__version__, transformers.__version__, accelerate.__version__, torch.cuda.get_device_name(0))"
mkdir -p results
python3 benchmarks/tiger_speed.py --dataset beauty --sid_dir .gpu/sid --configs paper --attn eager sdpa --decode_users 512 --decode_batch 256 --train_steps 20 --out $OUT/tiger_speed_gpu.json --commit $C 2>&1 | tee $OUT/speed.log
python3 scripts/tiger_beauty.py --dataset beauty --config paper --sid_dir .gpu/sid --run_dir /tmp/tiger-gpu --max_minutes $MIN \
  --epochs 40 --round_size 131413 --valid_users 2000 --batch_size 1024 --lr 2e-3 --warmup_steps 300 --schedule linear \
  --mixed_precision bf16 --patience 8 --test_batch 512 --out $OUT/beauty_tiger_gpu.json --commit $C 2>&1 | tee $OUT/train.log
cp /tmp/tiger-gpu/metrics.jsonl /tmp/tiger-gpu/config.json $OUT/ 2>/dev/null
[ -f /tmp/tiger-gpu/best.pt ] && split -b 15M /tmp/tiger-gpu/best.pt $OUT/best.pt.part-
ls -la $OUT
