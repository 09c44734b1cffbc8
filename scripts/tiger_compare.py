"""Paired comparison of TIGER runs that differ only in their semantic IDs (or only in one named setting).

    python scripts/tiger_compare.py --inputs results/beauty_tiger_cpu_sid_text.json \
        results/beauty_tiger_cpu_sid_collab.json results/beauty_tiger_cpu_sid_random.json \
        --out results/beauty_tiger_cpu_sid_ablation.json

The first input is the reference. Each input is a result file of `scripts/tiger_beauty.py` whose run folder kept its
test lists (`test_lists.npy`); the per-user test metrics are recomputed from them and each run is compared with the
reference, paired over users (bootstrap 95% CI of the relative lift). The validation curves are lined up by training
windows seen.
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np, torch
from dataclasses import asdict
from scoter_nb.backbones.tiger import TigerConfig
from scoter_nb.data import load_dataset, eval_batch
from scoter_nb.metrics import ranks_from_lists, metrics_from_ranks, paired_lift_ci, bootstrap_ci
from scoter_nb.train import command_line, git_commit, save_result

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--inputs', nargs='+', required=True, help='result files of scripts/tiger_beauty.py; the first is the reference')
p.add_argument('--allow', nargs='*', default=[], help="train_cfg or model_cfg keys allowed to differ (default: none; semantic IDs always may)")
p.add_argument('--out', required=True)
p.add_argument('--commit', default=None, help='commit to record (default: git rev-parse of this checkout; for copies without .git)')
a = p.parse_args()
if len(a.inputs) < 2: sys.exit('give at least two result files')

t0, runs = time.time(), []
for f in a.inputs:
    r = json.loads(Path(f).read_text())
    missing = [k for k in ('metrics', 'train_cfg', 'model_cfg', 'run_dir', 'learning_curve') if k not in r]
    if missing: sys.exit(f'{f}: not a scripts/tiger_beauty.py result (missing {missing})')
    lists_path = Path(r.get('test_lists') or Path(r['run_dir'])/'test_lists.npy')
    if not lists_path.exists(): sys.exit(f'{f}: its test lists {lists_path} are missing (rerun scripts/tiger_beauty.py; it keeps them)')
    runs.append((f, r, np.load(lists_path)))
f0, r0, _ = runs[0]
for f, r, lists in runs[1:]:
    for k in ('dataset', 'round_size', 'valid_users', 'test_users'):
        if r.get(k) != r0.get(k): sys.exit(f'{f}: {k} differs from {f0}: {r.get(k)} vs {r0.get(k)}')
    mc, mc0 = (asdict(TigerConfig(**x['model_cfg'])) for x in (r, r0))  # files from before a setting existed get its default
    d = sorted(k for k in mc if mc[k] != mc0[k] and k not in a.allow)
    if d: sys.exit(f'{f}: model settings differ from {f0} in {d} (pass --allow to compare anyway)')
    if (r.get('init_from') is None) != (r0.get('init_from') is None):  # runs on other IDs start from other checkpoints
        sys.exit(f'{f}: one of it and {f0} starts from a checkpoint, the other from scratch')
    d = sorted(k for k in r['train_cfg'] if r['train_cfg'][k] != r0['train_cfg'].get(k) and k not in a.allow)
    if d: sys.exit(f'{f}: training settings differ from {f0} in {d} (pass --allow to compare anyway)')

data = load_dataset(r0['dataset'])
_, target = eval_batch(data, 'test', max_len=1, users=range(r0['test_users']))
per_user = {}
for f, r, lists in runs:
    if lists.shape != (len(target), 20): sys.exit(f'{f}: test lists of shape {lists.shape}, expected ({len(target)}, 20)')
    pu = metrics_from_ranks(ranks_from_lists(torch.from_numpy(lists.astype(np.int64)), target), (5, 10, 20))
    for k in ('recall@10', 'ndcg@10'):  # the recomputed metrics must be the ones the run reported
        if abs(float(pu[k].mean()) - r['metrics'][k]) > 1e-6: sys.exit(f'{f}: test lists give {k} {float(pu[k].mean()):.6f}, the file says {r["metrics"][k]:.6f}')
    per_user[f] = pu

ms = ('recall@5', 'recall@10', 'ndcg@5', 'ndcg@10')
arms = []
for f, r, _ in runs:
    pu = per_user[f]
    arm = dict(file=f, semantic_ids=r['semantic_ids'], rounds_run=r['rounds_run'], best_round=r['best_round'],
               windows_seen=r['windows_seen'], train_seconds=r['train_seconds'], valid_best=r['valid_best'],
               test={k: float(pu[k].mean()) for k in ms}, ci95={k: bootstrap_ci(pu[k]) for k in ('recall@10', 'ndcg@10')},
               machine=r['machine'], commit=r['commit'], command=r['command'])
    if f != f0:  # a relative lift is undefined where the reference scores 0 (a smoke test): None
        arm['vs_reference'] = {k: paired_lift_ci(per_user[f0][k], pu[k]) if per_user[f0][k].sum() > 0 else None for k in ms}
    arms.append(arm)
rounds = sorted(set.intersection(*[{c['round'] for c in r['learning_curve']} for _, r, _ in runs]))
curves = {f: {c['round']: c for c in r['learning_curve']} for f, r, _ in runs}
aligned = [dict(round=k, windows_seen=curves[f0][k]['windows_seen'],
                **{f'{Path(f).stem}:{m}': curves[f][k][f'valid_{m}'] for f, _, _ in runs for m in ('recall@10', 'ndcg@10')})
           for k in rounds]
metrics = {Path(x['file']).stem: x['test'] for x in arms}
rec = save_result(a.out, metrics, command_line('scripts/tiger_compare.py'), time.time() - t0, commit=a.commit or git_commit('.'),
                  dataset=r0['dataset'], reference=f0, arms=arms, valid_curves=aligned,
                  note='per-user test metrics recomputed from each run folder\'s test_lists.npy; lifts are paired over users '
                       'against the reference (the first input); wall_seconds is this comparison, each arm has its own train_seconds')
for x in arms:
    print(Path(x['file']).stem, {k: round(v, 4) for k, v in x['test'].items()},
          {k: f"{v['lift']:+.1%} [{v['lo']:+.1%}, {v['hi']:+.1%}]" if v else 'undefined' for k, v in x.get('vs_reference', {}).items()})
