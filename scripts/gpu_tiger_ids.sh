#!/bin/bash
# TIGER's paper configuration on Beauty on the lent GPU, trained on the committed text IDs and on the committed
# collaborative IDs (first build and rebuild) at once (processes share one GPU at little cost: chapter 06b), then the
# paired comparisons against the text IDs. IDS='text collab' trains fewer arms (the first one is the reference).
# Same training settings as scripts/gpu_tiger.sh (results/beauty_tiger_gpu.json). The question (chapter 06b): does the
# collaborative IDs' lead on the CPU (R@10 +40% at 30 rounds of CPU_CONFIG) hold for the paper configuration, and how
# close does it come to the paper's R@10 .0642?
# Needs .gpu/ (bash tools/gpu_bundle.sh here, then carry=[".gpu"]). Run as: bash scripts/gpu_tiger_ids.sh <commit> <minutes>
# <minutes> is each process's training budget (a soft one: the round that crosses it finishes); 40 epochs took 343 s
# with two processes on one H200 (three: not measured). Every arm trains the fixed 40 epochs (--patience 100): with
# 2,000 validation users a patience of 8 ended one GPU seed that was still improving (chapter 06b). Everything it
# writes is small and comes back under $OUT. EXTRA='...' appends options to every training command
# (a CPU smoke test: EXTRA='--epochs 1 --round_size 300 --valid_users 30 --test_users 60').
C=$1; MIN=${2:-8}; IDS=${IDS:-text collab collab_rebuilt}; OUT=${OUT:-/tmp/out}; EXTRA=${EXTRA:-}; mkdir -p $OUT
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpu/whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD SCOTER_DATA=$PWD/.gpu/data PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
for ID in $IDS; do
  python3 scripts/tiger_beauty.py --dataset beauty --config paper --sid_dir artifacts/beauty/semantic_ids_$ID \
    --run_dir /tmp/tiger-gpu-$ID --max_minutes $MIN --epochs 40 --round_size 131413 --valid_users 2000 --batch_size 1024 \
    --lr 2e-3 --warmup_steps 300 --schedule linear --mixed_precision bf16 --patience 100 --test_batch 512 \
    --out $OUT/beauty_tiger_gpu_sid_$ID.json --commit $C $EXTRA > $OUT/train_$ID.log 2>&1 &
done
wait
tail -n 3 $OUT/train_*.log
for ID in $IDS; do cp /tmp/tiger-gpu-$ID/test_lists.npy $OUT/test_lists_$ID.npy 2>/dev/null; done
python3 scripts/tiger_compare.py --inputs $(for ID in $IDS; do echo $OUT/beauty_tiger_gpu_sid_$ID.json; done) \
  --out $OUT/beauty_tiger_gpu_sid_ablation.json --commit $C 2>&1 | tail -n 3
ls -la $OUT
