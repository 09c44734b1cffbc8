#!/bin/bash
# SASRec and SCoTER-SASRec on Beauty with the distilled store, from scratch, on the lent GPU: per seed (0, 1, 2, in
# parallel) SASRec then SCoTER-SASRec (`experiments.py --what main --seeds s`, its result file thrown away), then the
# three ablation variants of that seed as parallel `--train_only` processes, each under a `timeout` that ends at the
# training deadline (a soft one: on the H200, with 225 s, training ended at 301 s; leave the analysis a margin).
# Then the main table and segments over the three seeds (the finished runs reused), and, if every ablation run
# finished, the ablation, fusion-order and InfoNCE analyses.
# Needs the bundle .gpu/ (git-ignored): whl/ (vector-quantize-pytorch and its pure-Python needs), data/beauty (a copy of
# ../shared/data/beauty) and distill_store (runs/beauty/distill/store packed with tools/pack_store.py).
# Run as: bash scripts/gpu_distilled_fresh.sh <commit> <training deadline, s> <seconds for the whole script>
# Returns results.tar (result files + logs) and runs.tar.part-* (SASRec and SCoTER-SASRec full runs of each seed,
# with test_per_user.npz; a finished run's last.pt travels as last_meta.pt, restored with `python tools/gpu_runs.py restore`).
T0=$(date +%s); C=$1; TT=${2:-220}; TOTAL=${3:-380}; D=${DATASET:-beauty}
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpu/whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD SCOTER_DATA=${SCOTER_DATA:-$PWD/.gpu/data} PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1
nvidia-smi --query-gpu=name --format=csv,noheader
S=runs/$D/distill/store
python3 tools/pack_store.py unpack .gpu/distill_store $S || exit 1
mkdir -p runs/$D/experiments /tmp/logs /tmp/res; touch /tmp/start
left() { echo $(( TT - ($(date +%s) - T0) )); }
for s in 0 1 2; do
  ( timeout $(left) python3 scripts/experiments.py --dataset $D --store $S --what main --seeds $s --results /tmp/scratch_$s --commit $C > /tmp/logs/main_seed$s.log 2>&1
    for v in nopos:'w/o position' nocl:'w/o contrastive' nostep:'w/o step-wise'; do
      timeout $(left) python3 scripts/experiments.py --dataset $D --store $S --train_only "${v#*:}" --seeds $s --commit $C > /tmp/logs/train_${v%%:*}_seed$s.log 2>&1 &
    done; wait ) &
done
wait
echo "training: $(( $(date +%s) - T0 )) s since the start (deadline $TT)"; grep -h "test R@10\|Error" /tmp/logs/*.log | head -20
ls runs/$D/experiments; ls runs/$D/experiments/*/result.json | wc -l
TA=$(( TOTAL - ($(date +%s) - T0) - 30 ))
timeout $TA python3 scripts/experiments.py --dataset $D --store $S --what main segments --commit $C > /tmp/logs/analysis_main.log 2>&1
echo "main + segments: rc $? ($(( $(date +%s) - T0 )) s)"; tail -n 3 /tmp/logs/analysis_main.log
n=$(ls runs/$D/experiments/scoter_distilled_no{pos,cl,step}_seed*/result.json 2>/dev/null | wc -l)
TA=$(( TOTAL - ($(date +%s) - T0) - 30 ))
if [ $n = 9 ] && [ $TA -gt 20 ]; then
  timeout $TA python3 scripts/experiments.py --dataset $D --store $S --what ablation fusion_order mi --commit $C > /tmp/logs/analysis_abl.log 2>&1
  echo "ablation analyses: rc $? ($(( $(date +%s) - T0 )) s)"; tail -n 3 /tmp/logs/analysis_abl.log
else echo "ablation analyses skipped: $n of 9 ablation runs finished, $TA s left"; fi
find results -name '*.json' -newer /tmp/start -exec cp {} /tmp/res/ \;
tar cf $OUT/results.tar -C /tmp res logs
python3 tools/gpu_runs.py strip runs/$D/experiments 'sasrec_seed*'
python3 tools/gpu_runs.py strip runs/$D/experiments 'scoter_distilled_seed*'
tar cf /tmp/runs.tar -C runs/$D/experiments $(cd runs/$D/experiments && ls -d sasrec_seed* scoter_distilled_seed*) && split -b 15M /tmp/runs.tar $OUT/runs.tar.part-
ls -la $OUT; echo "total $(( $(date +%s) - T0 )) s"
