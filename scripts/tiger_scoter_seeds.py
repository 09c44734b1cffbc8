"""Seed summary of SCoTER-TIGER: pool the per-seed result files of `scripts/tiger_scoter.py --control_run` (one trained
TIGER, several loop seeds) into mean ± std over seeds and paired-bootstrap lifts over users (each user's metric
averaged over the seeds first, as `summarise_pairs` does for SASRec).

    python scripts/tiger_scoter_seeds.py --inputs results/ml-100k_tiger_main.json results/ml-100k_tiger_main_seed1.json \\
        results/ml-100k_tiger_main_seed2.json --out results/ml-100k_tiger_main_seeds.json

With --versus (the same seeds on the history-store control) it also pairs the two stores' SCoTER-TIGER per user:

    python scripts/tiger_scoter_seeds.py --inputs results/ml-100k_tiger_main{,_seed1,_seed2}.json \\
        --versus results/ml-100k_tiger_main_history{,_seed1,_seed2}.json --out results/ml-100k_tiger_main_seeds.json

Reads the per-user test metrics cached in each file's run folders (backbone, control, fusion) and checks them against
the numbers the file recorded, so a cache overwritten by another run stops it instead of being pooled.
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--inputs', nargs='+', required=True, help='result files of scripts/tiger_scoter.py --control_run, one per loop seed')
p.add_argument('--versus', nargs='*', default=[],
               help='result files of the same runs on another store (e.g. the history-store control), one per seed of --inputs: '
                    'SCoTER-TIGER on the --inputs store is also paired per user with SCoTER-TIGER on that one (vs_other_store)')
p.add_argument('--out', required=True)
p.add_argument('--n_boot', type=int, default=2000)
a = p.parse_args()

from scoter_nb.data import load_dataset
from scoter_nb.train import save_result, git_commit, command_line
from scoter_nb.experiments import summarise_pairs, segment_lifts, CACHE_META

t0, commit = time.time(), git_commit('.')
SAME = ('dataset', 'backbone_run', 'backbone_model_cfg', 'fusion_cfg', 'round_size', 'valid_users')

def per_user(f, run, best_epoch, bf16, recorded): # a run folder's cached per-user test metrics, checked against the file
    p = Path(run)/'test_per_user.npz'
    if not p.exists(): sys.exit(f'{f}: {p} not found (the run folder is gone: rerun scripts/tiger_scoter.py)')
    z = np.load(p)
    if 'bf16' in z.files and bool(z['bf16']) != bf16: sys.exit(f"{f}: {p} was computed with bf16={bool(z['bf16'])}, the file with bf16={bf16}")
    # a cache older than the bf16 field is accepted only through the check below: it reproduces what the file recorded
    if best_epoch is not None and int(z['best_epoch']) != best_epoch: sys.exit(f"{f}: {p} is of epoch {int(z['best_epoch'])}, the file's best is {best_epoch}")
    out = {k: z[k] for k in z.files if k not in CACHE_META}
    bad = [k for k, v in recorded.items() if not np.isclose(out[k].mean(), v['mean'], rtol=0, atol=1e-9)]
    if bad: sys.exit(f'{f}: {p} does not reproduce the recorded {bad} (cache overwritten by another run?)')
    return out

def read(files, f0=None, r0=None, same_store=True): # result files -> [(file, record)], checked against the first (or f0's)
    runs = []
    for f in files:
        r = json.loads(Path(f).read_text())
        m = r.get('metrics', {})
        if 'vs_control' not in m or 'fusion_run' not in r: sys.exit(f'{f}: not a scripts/tiger_scoter.py --control_run result')
        runs.append((f, r))
    f0, r0 = (f0, r0) if r0 else runs[0]
    for f, r in runs:  # the loop seed (or, for --versus, the store) may differ and nothing else
        for k in SAME:
            if r[k] != r0[k]: sys.exit(f'{f}: {k} differs from {f0}: {r[k]} vs {r0[k]}')
        if (r['store']['config_hash'] == r0['store']['config_hash']) != same_store:
            sys.exit(f"{f}: {'another' if same_store else 'the same'} store as {f0} ({r['store']} vs {r0['store']})")
        d = sorted(k for k in r['train_cfg'] if k != 'seed' and r['train_cfg'][k] != r0['train_cfg'][k])
        if d: sys.exit(f'{f}: loop settings differ from {f0} in {d}')
    return runs

runs = read(a.inputs)
f0, r0 = runs[0]
seeds = [r['train_cfg']['seed'] for _, r in runs]
if len(set(seeds)) != len(seeds): sys.exit(f'repeated seeds: {seeds}')
others = read(a.versus, f0, r0, same_store=False) if a.versus else []
if others and [r['train_cfg']['seed'] for _, r in others] != seeds:
    sys.exit(f"--versus seeds {[r['train_cfg']['seed'] for _, r in others]} are not the --inputs seeds {seeds} (same order)")
if len({r['store']['config_hash'] for _, r in others}) > 1: sys.exit('--versus files use more than one store')

data = load_dataset(r0['dataset'])
main, ctrl = [], []
for f, r in runs:
    bf16, m = r['train_cfg']['mixed_precision'] == 'bf16', r['metrics']
    base = per_user(f, r['backbone_run'], None, bf16, m['main']['models']['TIGER'])
    fused = per_user(f, r['fusion_run'], r['best_round'], bf16, m['main']['models']['SCoTER-TIGER'])
    cont = per_user(f, r['control_run'], None, bf16, m['vs_control']['models']['TIGER, continued'])
    main.append(dict(seed=r['train_cfg']['seed'], sasrec=base, scoter=fused))
    ctrl.append(dict(seed=r['train_cfg']['seed'], sasrec=cont, scoter=fused))

vs_store = []
for (f, r), (g, o) in zip(runs, others):  # the two stores' SCoTER-TIGER, same seed, paired per user
    bf16 = r['train_cfg']['mixed_precision'] == 'bf16'
    vs_store.append(dict(seed=r['train_cfg']['seed'], sasrec=per_user(g, o['fusion_run'], o['best_round'], bf16, o['metrics']['main']['models']['SCoTER-TIGER']),
                         scoter=per_user(f, r['fusion_run'], r['best_round'], bf16, r['metrics']['main']['models']['SCoTER-TIGER'])))

def named(s, a_name): # summarise_pairs' 'sasrec'/'scoter' keys -> display names
    s['models'] = {a_name: s['models'].pop('sasrec'), 'SCoTER-TIGER': s['models'].pop('scoter')}; return s

out = dict(main=named(summarise_pairs(main, n_boot=a.n_boot), 'TIGER'),
           vs_control=named(summarise_pairs(ctrl, n_boot=a.n_boot), 'TIGER, continued'))
segs = segment_lifts(ctrl, data, n_boot=a.n_boot)
for s in ('sparse', 'dense'): named(segs[s], 'TIGER, continued')
out['segments_vs_control'] = segs
if others:
    out['vs_other_store'] = summarise_pairs(vs_store, n_boot=a.n_boot)
    out['vs_other_store']['models'] = {f"SCoTER-TIGER, {others[0][1]['store']['model']} store": out['vs_other_store']['models'].pop('sasrec'),
                                       f"SCoTER-TIGER, {r0['store']['model']} store": out['vs_other_store']['models'].pop('scoter')}
save_result(a.out, out, command_line('scripts/tiger_scoter_seeds.py', sys.argv[1:]), time.time() - t0, commit=commit,
            dataset=r0['dataset'], seeds=seeds, inputs=[dict(file=f, seed=r['train_cfg']['seed'], command=r['command'], commit=r['commit'],
            machine=r['machine'], wall_seconds=r['wall_seconds'], train_seconds=r['train_seconds'], best_round=r['best_round'],
            rounds_run=r['rounds_run'], control_run=r['control_run'], fusion_run=r['fusion_run']) for f, r in runs + others],
            other_store=others[0][1]['store'] if others else None,
            store=r0['store'], backbone_run=r0['backbone_run'], backbone_model_cfg=r0['backbone_model_cfg'], fusion_cfg=r0['fusion_cfg'],
            train_cfg={k: v for k, v in r0['train_cfg'].items() if k != 'seed'}, round_size=r0['round_size'], valid_users=r0['valid_users'],
            note='one trained TIGER, several loop seeds of the training-on step (validation users, window order); the TIGER row '
                 'is that one backbone, so its std is 0. wall_seconds is this summary only; each seed\'s run is in inputs.')
v = out['vs_control']
print(f"seeds {seeds}: continued R@10 {v['models']['TIGER, continued']['recall@10']['mean']:.4f}±{v['models']['TIGER, continued']['recall@10']['std']:.4f}, "
      f"SCoTER-TIGER {v['models']['SCoTER-TIGER']['recall@10']['mean']:.4f}±{v['models']['SCoTER-TIGER']['recall@10']['std']:.4f}, "
      f"lift {json.dumps({k: [round(x, 4) for x in (l['lift'], l['lo'], l['hi'])] for k, l in v['lift'].items()})}")
if others: print('vs the other store:', json.dumps({k: [round(x, 4) for x in (l['lift'], l['lo'], l['hi'])] for k, l in out['vs_other_store']['lift'].items()}))
