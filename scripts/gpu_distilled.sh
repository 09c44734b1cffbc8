#!/bin/bash
# The Beauty experiments on the distilled store, on the lent GPU: the 12 fusion runs of the main and ablation tables
# (full, w/o position, w/o contrastive, w/o step-wise x seeds 0, 1, 2) trained as 12 concurrent processes (SCoTER-SASRec
# is launch-bound: one process leaves the GPU mostly idle), then every analysis of scripts/experiments.py.
# Needs the bundle .gpu/ (git-ignored): whl/ (vector-quantize-pytorch and its pure-Python needs), data/beauty (a copy of
# ../shared/data/beauty), distill_store (runs/beauty/distill/store packed with tools/pack_store.py) and sasrec.tar (the
# finished runs/beauty/experiments/sasrec_seed{0,1,2}, which the fusion runs start from, stripped with
# `python tools/gpu_runs.py strip`).
# Run as: bash scripts/gpu_distilled.sh <commit> <training seconds per process> <seconds for the whole script>
# (the analysis gets what is left of the whole, less 25 s for packing).
# Returns results.tar (result files this run wrote + logs) and runs.tar.part-* (the fusion run folders without
# test_per_user.npz; a finished run's last.pt travels as last_meta.pt: its loop state without weights or optimizer
# moments, restored with `python tools/gpu_runs.py restore`).
T0=$(date +%s); C=$1; TT=${2:-240}; TOTAL=${3:-400}; D=${DATASET:-beauty}  # DATASET=ml-100k: a dry run of the plumbing on a small data set
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpu/whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD SCOTER_DATA=${SCOTER_DATA:-$PWD/.gpu/data} PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1
nvidia-smi --query-gpu=name --format=csv,noheader
S=runs/$D/distill/store
python3 tools/pack_store.py unpack .gpu/distill_store $S || exit 1
mkdir -p runs/$D/experiments /tmp/logs && tar xf .gpu/sasrec.tar -C runs/$D/experiments || exit 1
python3 tools/gpu_runs.py restore runs/$D/experiments 'sasrec_seed*' || exit 1
touch /tmp/start; start=$(date +%s)
for v in full nopos:'w/o position' nocl:'w/o contrastive' nostep:'w/o step-wise'; do
  tag=${v%%:*}; name=${v#*:}
  for s in 0 1 2; do
    timeout $TT python3 scripts/experiments.py --dataset $D --store $S --train_only "$name" --seeds $s --commit $C > /tmp/logs/train_${tag}_seed$s.log 2>&1 &
  done
done
wait
echo "training: $(( $(date +%s) - start )) s (timeout $TT per process)"
grep -h "test R@10" /tmp/logs/train_*.log
t1=$(date +%s); TA=$(( TOTAL - (t1 - T0) - 25 ))
timeout $TA python3 scripts/experiments.py --dataset $D --store $S --commit $C > /tmp/logs/analysis.log 2>&1
echo "analysis: rc $? $(( $(date +%s) - t1 )) s (timeout $TA)"; tail -n 5 /tmp/logs/analysis.log
mkdir -p /tmp/res && find results -name '*.json' -newer /tmp/start -exec cp {} /tmp/res/ \;
tar cf $OUT/results.tar -C /tmp res logs
python3 tools/gpu_runs.py strip runs/$D/experiments 'scoter_distilled*'
tar cf /tmp/runs.tar -C runs/$D/experiments --exclude=test_per_user.npz $(cd runs/$D/experiments && ls -d scoter_distilled*) && split -b 15M /tmp/runs.tar $OUT/runs.tar.part-
ls -la $OUT
