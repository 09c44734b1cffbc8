"""Seed summary of TIGER runs: mean ± std over the per-seed result files of `scripts/tiger_beauty.py`.

    python scripts/tiger_seeds.py --inputs results/beauty_tiger_gpu.json results/beauty_tiger_gpu_seed0.json \
        results/beauty_tiger_gpu_seed1.json --out results/beauty_tiger_gpu_seeds.json
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np
from scoter_nb.train import command_line, git_commit

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--inputs', nargs='+', required=True, help='result files of scripts/tiger_beauty.py, one per seed')
p.add_argument('--out', required=True)
a = p.parse_args()

runs = []
for f in a.inputs:
    r = json.loads(Path(f).read_text())
    missing = [k for k in ('metrics', 'train_cfg', 'model_cfg') if k not in r]
    if missing: sys.exit(f'{f}: not a scripts/tiger_beauty.py result (missing {missing})')
    runs.append((f, r))
f0, r0 = runs[0]
for f, r in runs[1:]:  # the seeds must differ and nothing else may
    for k in ('model_cfg', 'dataset', 'config_name', 'round_size', 'valid_users'):
        if r[k] != r0[k]: sys.exit(f'{f}: {k} differs from {f0}: {r[k]} vs {r0[k]}')
    d = {k for k in r['train_cfg'] if k != 'seed' and r['train_cfg'][k] != r0['train_cfg'][k]}
    if d: sys.exit(f'{f}: training settings differ from {f0} in {sorted(d)}')
seeds = [r['train_cfg']['seed'] for _, r in runs]
if len(set(seeds)) != len(seeds): sys.exit(f'repeated seeds: {seeds}')
metrics = list(r0['metrics'])
vals = {m: np.array([r['metrics'][m] for _, r in runs]) for m in metrics}
out = dict(
    metrics={m: float(v.mean()) for m, v in vals.items()},
    std={m: float(v.std(ddof=1)) for m, v in vals.items()} if len(runs) > 1 else None,
    per_seed=[dict(file=f, seed=r['train_cfg']['seed'], metrics=r['metrics'], best_round=r['best_round'],
                   rounds_run=r['rounds_run'], stopped_early=r['stopped_early'], train_seconds=r['train_seconds'],
                   ci95=r.get('ci95'), commit=r['commit'], machine=r['machine'], command=r['command']) for f, r in runs],
    n_seeds=len(runs), seeds=seeds, paper_tiger=r0.get('paper_tiger'),
    command=command_line('scripts/tiger_seeds.py', sys.argv[1:]), commit=git_commit(),
    machine=r0['machine'], machine_note='the machine of the first run; each seed\'s is in per_seed[*].machine. This summary only averages their files',
    wall_seconds=float(sum(r['wall_seconds'] for _, r in runs)), wall_note='the sum of the per-seed wall times (runs that shared a GPU overlapped)', date=time.strftime('%Y-%m-%dT%H:%M:%S'),
    dataset=r0['dataset'], config_name=r0['config_name'], model_cfg=r0['model_cfg'],
    train_cfg={k: v for k, v in r0['train_cfg'].items() if k != 'seed'})
Path(a.out).write_text(json.dumps(out, indent=1))
print(' '.join(f"{m} {out['metrics'][m]:.4f}±{out['std'][m]:.4f}" for m in metrics) if out['std'] else out['metrics'])
