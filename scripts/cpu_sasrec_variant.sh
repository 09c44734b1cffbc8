#!/bin/bash
# SCoTER-SASRec on Beauty in one fusion form (a --main_variant of scripts/experiments.py) against SASRec of the same seeds,
# on this 2-core CPU, for the distilled store and the LLM-free history-store control. The paper's form lost on Beauty
# (chapter 10: -2.4% and -3.8% R@10); the forms run here ask why:
#   gated:gated=true                         the gated block of chapter 08 (g = 0 at the start: the model starts at SASRec),
#                                            the form SCoTER-TIGER uses
#   frozen:gated=true,freeze_backbone=true   the gated block trained alone on a frozen SASRec: only the steps can move it
#  1. Two lanes of one thread each take the next task that nobody has claimed: first SASRec per seed (`scripts/experiments.py
#     --train_only sasrec`, 13-30 min a seed; a finished run is reused), then the fusion runs (distilled and history store,
#     per seed; `--train_only main`, 5-10 min each), each once its SASRec and store are there, then the paper's form
#     (distilled store, `--train_only full`, 5-10 min a seed; the runs `vs_paper_form` pairs with), then the control: SASRec
#     trained on alone from its best weights with the same loop (`--train_only sasrec_continued`, 6-10 min a seed). The
#     stores come first if missing: the distilled one (the committed student chains embedded by scripts/distill.py
#     --chains, ~10 min) and the history store (~24 min).
#  2. `scripts/experiments.py --main_variant V --what main segments` for each store reuses the runs and writes
#     results/beauty_{main,segments}_NAME.json (with the lifts over SASRec trained on, over the history store of the same
#     seeds, and over the paper's form, all paired per user) and results/beauty_{main,segments}_history_NAME.json, and the
#     paper's form's own tables, results/beauty_{main,segments}_cpu.json.
# A run folder resumes from its last.pt and a finished run is reused, so rerun the same command after a cut.
# Run as: bash scripts/cpu_sasrec_variant.sh NAME:FIELD=VALUE[,FIELD=VALUE] [seeds...]   (default seeds 0 1 2), e.g.
#   bash scripts/cpu_sasrec_variant.sh gated:gated=true 0 1 2
set -u
cd "$(dirname "$0")/.." || exit 1
V=${1:?usage: bash scripts/cpu_sasrec_variant.sh NAME:FIELD=VALUE[,FIELD=VALUE] [seeds...]}; shift; N=${V%%:*}; SEEDS=${*:-0 1 2}; C=$(git rev-parse HEAD)
S=runs/beauty/distill/store; H=runs/beauty/history_store; R=runs/beauty/experiments; L=runs/beauty/logs
mkdir -p $L
exec 9> $L/.cpu_sasrec_variant.lock  # one instance at a time: two would train into the same (SASRec) run folders
flock -n 9 || { echo "another scripts/cpu_sasrec_variant.sh is running (lock $L/.cpu_sasrec_variant.lock)"; exit 1; }
rm -rf $L/claim.$N.*  # the task claims of an earlier (cut) call
E="python3 scripts/experiments.py --dataset beauty --seeds"
export OMP_NUM_THREADS=1
complete() { python3 -c "import json,sys; sys.exit(not json.load(open('$1/manifest.json')).get('complete'))" 2>/dev/null; }
sasrec_done() { [ -f $R/sasrec_seed$1/result.json ]; }
stores() {
  if ! complete $S; then
    [ -d runs/beauty/distill/student ] || { mkdir -p runs/beauty; cp -r artifacts/beauty/distill runs/beauty/; }
    python3 scripts/distill.py --dataset beauty --template results/beauty_distill.json \
      --chains artifacts/beauty/distill/chains/*.jsonl.xz --out $L/distill_cpu_chains.json > $L/store.log 2>&1 \
      || { echo "the store failed: see $L/store.log"; return 1; }
  fi
  complete $H || python3 -c "from scoter_nb.data import load_dataset; from scoter_nb.store import open_history_store
open_history_store(load_dataset('beauty'), '$H')" > $L/history_store.log 2>&1 || { echo "the history store failed: see $L/history_store.log"; return 1; }
}
worker() {  # take the next unclaimed task; wait for what it needs
  for s in $SEEDS; do
    mkdir $L/claim.$N.sasrec$s 2>/dev/null || continue
    $E $s --store history --train_only sasrec --commit $C > $L/sasrec$s.log 2>&1 || { echo "SASRec failed: see $L/sasrec$s.log"; return 1; }
  done
  mkdir $L/claim.$N.stores 2>/dev/null && { stores || return 1; }
  for s in $SEEDS; do for st in distilled history; do
    mkdir $L/claim.$N.$st$s 2>/dev/null || continue
    while ! sasrec_done $s; do sleep 20; done
    if [ $st = distilled ]; then d=$S; else d=$H; fi
    while ! complete $d; do sleep 20; done
    arg=$([ $st = history ] && echo history || echo $S)
    $E $s --store $arg --main_variant $V --train_only main --commit $C > $L/${N}_$st$s.log 2>&1 \
      || { echo "failed: see $L/${N}_$st$s.log"; return 1; }
  done; done
  for s in $SEEDS; do  # the paper's form on the same SASRec runs (`vs_paper_form`; its own tables are the `cpu` tag)
    mkdir $L/claim.$N.paper$s 2>/dev/null || continue
    while ! sasrec_done $s; do sleep 20; done
    while ! complete $S; do sleep 20; done
    $E $s --store $S --train_only full --commit $C > $L/paper$s.log 2>&1 || { echo "failed: see $L/paper$s.log"; return 1; }
  done
  for s in $SEEDS; do
    mkdir $L/claim.$N.continued$s 2>/dev/null || continue
    $E $s --store history --train_only sasrec_continued --commit $C > $L/continued$s.log 2>&1 || { echo "failed: see $L/continued$s.log"; return 1; }
  done
}
worker & worker & wait
$E $SEEDS --store history --main_variant $V --what main segments --commit $C > $L/${N}_history_tables.log 2>&1 || { echo "see $L/${N}_history_tables.log"; exit 1; }
$E $SEEDS --store $S --main_variant $V --what main segments --commit $C > $L/${N}_distilled_tables.log 2>&1 || { echo "see $L/${N}_distilled_tables.log"; exit 1; }
$E $SEEDS --store $S --what main segments --tag cpu --commit $C > $L/${N}_paper_tables.log 2>&1 || { echo "see $L/${N}_paper_tables.log"; exit 1; }
ls -la results/beauty_*_$N.json results/beauty_{main,segments}_cpu.json
