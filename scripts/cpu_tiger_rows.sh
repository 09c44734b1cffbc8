#!/bin/bash
# The Beauty TIGER rows of chapter 10 on this 2-core CPU, from the committed artifacts, for one or more loop seeds.
# A stage is skipped when its result file exists and its run folder holds what the seed summary reads (a fresh checkout
# has no runs/, so it reruns them), so rerun the same command after a cut (a training stage resumes from its last.pt).
#  1. TIGER's reduced CPU configuration ('cpu', named as such in the results) on the committed collaborative semantic IDs,
#     trained, then fine-tuned from its best weights with a linear decay, as results/beauty_tiger_cpu_rows2_{base,ft}.json
#     (one thread; 15 + 9 min on 2026-12-06, the first training stopped by its patience), skipped when artifacts/beauty/tiger-cpu-sidcollab-ft holds its best.pt (commit it
#     there: .gitignore lets artifacts/**/best.pt through).
#     (The GPU-trained TIGER the committed history row used was lost with its run folder, and so was the best.pt of
#     results/beauty_tiger_cpu_rows_{base,ft}.json, never committed: the rows share the 'rows2' TIGER.)
#  2. Two lanes of one thread each. Lane 1: the reasoning store (the student chains in artifacts/beauty/distill/chains
#     embedded by scripts/distill.py --chains, about 10 min), then per seed SCoTER-TIGER on the LLM-free history store
#     (the first run builds runs/beauty/history_store: about 24 min on one thread, 11 on two). Lane 2, per seed: TIGER
#     trained on alone from the fine-tuned TIGER with the loop settings of scripts/tiger_scoter.py (lr 5e-4, bf16,
#     patience 3, SM minutes at most: the control), then SCoTER-TIGER on the distilled store. Each SCoTER-TIGER is paired
#     per user with its seed's control (vs_control). Seed 42 writes the unsuffixed files, seed N the _seedN ones.
#  3. scripts/tiger_scoter_seeds.py pools the seeds: the distilled store vs the history store, per user ->
#     results/beauty_tiger_main_cpu_pooled.json; the history store alone -> results/beauty_tiger_main_cpu_history_pooled.json.
# Run as: bash scripts/cpu_tiger_rows.sh [TIGER minutes] [fine-tune minutes] [fusion and control minutes] [seeds...]
#   e.g. bash scripts/cpu_tiger_rows.sh 50 25 15 42 43 44   (the committed rows; about 70 min of the two cores after stage 1, on 2026-12-06)
set -u
cd "$(dirname "$0")/.." || exit 1
TM=${1:-50}; FM=${2:-25}; SM=${3:-25}; shift $(( $# < 3 ? $# : 3 )); SEEDS=${*:-42}; C=$(git rev-parse HEAD)
SID=artifacts/beauty/semantic_ids_collab; T=runs/beauty/tiger-cpu-sidcollab; S=runs/beauty/distill/store
mkdir -p runs/beauty/logs; L=runs/beauty/logs
exec 9> $L/.cpu_tiger_rows.lock  # one instance at a time: two would train into the same run folders
flock -n 9 || { echo "another scripts/cpu_tiger_rows.sh is running (lock $L/.cpu_tiger_rows.lock)"; exit 1; }
# the fine-tuned TIGER, when a session committed it (artifacts/README.md): its stage 1 is then done
[ -f $T-ft/result.json ] || [ ! -f artifacts/beauty/tiger-cpu-sidcollab-ft/best.pt ] || cp -r artifacts/beauty/tiger-cpu-sidcollab-ft runs/beauty/
if [ ! -f $T-ft/result.json ] && { [ ! -f results/beauty_tiger_cpu_rows2_base.json ] || [ ! -f $T/best.pt ]; }; then
  OMP_NUM_THREADS=1 python3 scripts/tiger_beauty.py --dataset beauty --config cpu --epochs 30 --max_minutes $TM --sid_dir $SID \
    --run_dir $T --out results/beauty_tiger_cpu_rows2_base.json --commit $C > $L/tiger_base.log 2>&1 || exit 1
fi
if [ ! -f $T-ft/result.json ]; then  # result.json: the fine-tune ended (best.pt appears during training)
  OMP_NUM_THREADS=1 python3 scripts/tiger_beauty.py --dataset beauty --config cpu --sid_dir $SID --init_from $T/best.pt \
    --schedule linear --warmup_steps 0 --lr 1e-3 --epochs 12 --patience 100 --seed 43 --max_minutes $FM --run_dir $T-ft \
    --out results/beauty_tiger_cpu_rows2_ft.json --commit $C > $L/tiger_ft.log 2>&1 || exit 1
fi
[ -f $T-ft/result.json ] || { echo "the fine-tune did not finish: see $L/tiger_ft.log"; exit 1; }
sfx() { [ $1 = 42 ] && echo '' || echo _seed$1; }  # seed 42: the files the first rows were written to
store_done() { python3 -c "import json,sys; sys.exit(not json.load(open('$S/manifest.json')).get('complete'))" 2>/dev/null; }
scoter() {  # $1: store label, $2: --store argument, $3: result suffix, $4: seed
  [ -f results/beauty_tiger_main_cpu$3.json ] && [ -f runs/beauty/experiments/scoter_tiger_cpu_$1$(sfx $4)/test_per_user.npz ] && return 0
  while [ ! -f $T-continue$(sfx $4)/config.json ]; do sleep 10; done  # tiger_scoter.py checks it, then waits for its result.json
  OMP_NUM_THREADS=1 python3 scripts/tiger_scoter.py --dataset beauty --store $2 --tiger_run $T-ft --control_run $T-continue$(sfx $4) \
    --sid_dir $SID --run_dir runs/beauty/experiments/scoter_tiger_cpu_$1$(sfx $4) --max_minutes $SM --seed $4 \
    --out results/beauty_tiger_main_cpu$3.json --commit $C > $L/scoter_tiger_$1$(sfx $4).log 2>&1
}
lane1() {
  if ! store_done; then
    [ -d runs/beauty/distill/student ] || cp -r artifacts/beauty/distill runs/beauty/
    OMP_NUM_THREADS=1 python3 scripts/distill.py --dataset beauty --template results/beauty_distill.json \
      --chains artifacts/beauty/distill/chains/*.jsonl.xz --out results/beauty_distill_cpu_chains.json > $L/store.log 2>&1
  fi
  for s in $SEEDS; do scoter history history _history$(sfx $s) $s; done
}
lane2() {
  for s in $SEEDS; do
    if [ ! -f $T-continue$(sfx $s)/result.json ]; then  # the control: tiger_scoter.py's loop settings, checked there
      OMP_NUM_THREADS=1 python3 scripts/tiger_beauty.py --dataset beauty --config cpu --sid_dir $SID --init_from $T-ft/best.pt \
        --lr 5e-4 --warmup_steps 100 --round_size 20000 --valid_users 2000 --patience 3 --epochs 1000 --mixed_precision bf16 \
        --batch_size 256 --schedule constant --seed $s --max_minutes $SM --run_dir $T-continue$(sfx $s) \
        --out results/beauty_tiger_cpu_rows_continue$(sfx $s).json --commit $C > $L/tiger_continue$(sfx $s).log 2>&1 \
        || { echo "the control failed: see $L/tiger_continue$(sfx $s).log"; return 1; }
    fi
    while ! store_done; do sleep 20; done
    scoter distilled $S "$(sfx $s)" $s
  done
}
lane1 & lane2 & wait
store_done || { echo "the store failed: see $L/store.log"; exit 1; }
D=(); H=()
for s in $SEEDS; do
  for f in history:main_cpu_history$(sfx $s) distilled:main_cpu$(sfx $s); do
    [ -f results/beauty_tiger_${f#*:}.json ] || { echo "no results/beauty_tiger_${f#*:}.json: see $L/scoter_tiger_${f%%:*}$(sfx $s).log"; exit 1; }
  done
  D+=(results/beauty_tiger_main_cpu$(sfx $s).json); H+=(results/beauty_tiger_main_cpu_history$(sfx $s).json)
done
python3 scripts/tiger_scoter_seeds.py --inputs ${D[@]} --versus ${H[@]} --out results/beauty_tiger_main_cpu_pooled.json || exit 1
python3 scripts/tiger_scoter_seeds.py --inputs ${H[@]} --out results/beauty_tiger_main_cpu_history_pooled.json || exit 1
ls -la results/beauty_tiger_main_cpu*.json
