"""Pick among TIGER runs by NDCG@10 on the whole validation split, not on the 3,000-user sample that chose each run's round.

    OMP_NUM_THREADS=2 python scripts/tiger_valid_pick.py \
        --inputs results/beauty_tiger_cpu_collab_rebuilt_s42_ft5_wd01.json results/beauty_tiger_cpu_collab_rebuilt_s42_ft5_deep44.json \
        --ckpts artifacts/beauty/tiger-cpu-collab-rebuilt-s42-ft5-wd01/best.pt artifacts/beauty/tiger-cpu-collab-rebuilt-s42-ft5-deep44/best.pt \
        --out results/beauty_tiger_cpu_collab_rebuilt_ft5_validpick_s42.json

Each input is a result file of `scripts/tiger_beauty.py`; its checkpoint is `--ckpts` (same order; default
`<run_dir>/best.pt`). The validation pass is the one the training loop makes (fp32, constrained beam 20), over all
users. As a check, the run's own validation sample (seeded by its training seed), read off the same pass, must give
the NDCG@10 the run reported. The pick is the highest whole-split NDCG@10; each run is compared with the first input,
paired over users. The test split is not read: the test metrics shown are the ones the result files report.
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np, torch
from scoter_nb.backbones.tiger import Tiger, TigerConfig
from scoter_nb.backbones.core import evaluate_backbone
from scoter_nb.data import load_dataset
from scoter_nb.metrics import paired_lift_ci, bootstrap_ci
from scoter_nb.semantic_ids import SemanticIDs
from scoter_nb.train import command_line, git_commit, save_result

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--inputs', nargs='+', required=True, help='result files of scripts/tiger_beauty.py; the first is the reference')
p.add_argument('--ckpts', nargs='*', default=None, help='their best.pt files, in the same order (default <run_dir>/best.pt)')
p.add_argument('--batch', type=int, default=256)
p.add_argument('--cache', action='store_true', help='keep each checkpoint\'s scores next to it (<best.pt>.valid_all.pt) and reuse them while the checkpoint is unchanged')
p.add_argument('--out', required=True)
p.add_argument('--commit', default=None)
a = p.parse_args()
if a.ckpts and len(a.ckpts) != len(a.inputs): sys.exit(f'{len(a.inputs)} inputs but {len(a.ckpts)} checkpoints')

t0, runs = time.time(), []
for i, f in enumerate(a.inputs):
    r = json.loads(Path(f).read_text())
    missing = [k for k in ('metrics', 'train_cfg', 'model_cfg', 'run_dir', 'valid_best', 'semantic_ids', 'dataset') if k not in r]
    if missing: sys.exit(f'{f}: not a scripts/tiger_beauty.py result (missing {missing})')
    ck = Path(a.ckpts[i] if a.ckpts else Path(r['run_dir'])/'best.pt')
    if not ck.exists(): sys.exit(f'{f}: checkpoint {ck} not found (pass --ckpts)')
    runs.append((f, r, ck))
datasets = {r['dataset'] for _, r, _ in runs}
if len(datasets) != 1: sys.exit(f'the inputs are on different data sets: {sorted(datasets)}')
data = load_dataset(datasets.pop())

per_user, arms, sids = {}, [], {}
for f, r, ck in runs:
    t1 = time.time()
    sdir = r['semantic_ids']['dir']
    if sdir not in sids: sids[sdir] = SemanticIDs.load(Path(sdir), data)
    sid, mcfg = sids[sdir], TigerConfig(**r['model_cfg'])
    g = np.random.default_rng(r['train_cfg']['seed'])  # the run's own validation sample, as train_tiger drew it
    nv = r['valid_users']
    sample = None if nv is None or nv >= data.n_users else np.sort(g.choice(data.n_users, nv, replace=False))
    cache, stamp = ck.with_name(ck.name + '.valid_all.pt'), dict(size=ck.stat().st_size, mtime=ck.stat().st_mtime)  # scores of this very file
    if a.cache and cache.exists() and (c := torch.load(cache, weights_only=False))['stamp'] == stamp: m_all, pu = c['all'], c['per_user']
    else:
        model = Tiger(sid.codes, sid.n_codes, mcfg); model.load_state_dict(torch.load(ck, map_location='cpu'))
        with torch.no_grad(): m_all, pu = evaluate_backbone(model, data, 'valid', max_len=mcfg.max_hist, batch_size=a.batch, per_user=True, ranked_lists=True)
        if a.cache: torch.save(dict(stamp=stamp, all=m_all, per_user=pu), cache)
    m_sample = m_all if sample is None else {k: float(v[torch.from_numpy(sample)].mean()) for k, v in pu.items()}  # the sample is a subset of all users
    if abs(m_sample['ndcg@10'] - r['valid_best']['ndcg@10']) > 2e-4:
        sys.exit(f"{f}: {ck} gives NDCG@10 {m_sample['ndcg@10']:.5f} on the run's validation sample, the file says {r['valid_best']['ndcg@10']:.5f}")
    per_user[f] = pu
    rest = np.setdiff1d(np.arange(data.n_users), sample) if sample is not None else None
    arm = dict(file=f, checkpoint=str(ck), layers=f'{mcfg.n_enc}+{mcfg.n_dec}', valid_sample=m_sample, valid_all=m_all,
               valid_outside_sample=None if rest is None else {k: float(pu[k][rest].mean()) for k in ('recall@10', 'ndcg@10')},
               valid_all_ci95={k: bootstrap_ci(pu[k]) for k in ('recall@10', 'ndcg@10')}, test=r['metrics'], seconds=round(time.time() - t1, 1))
    print(f"{f}: valid sample N@10 {m_sample['ndcg@10']:.5f} (file {r['valid_best']['ndcg@10']:.5f}); all {data.n_users} users "
          f"R@10 {m_all['recall@10']:.5f} N@10 {m_all['ndcg@10']:.5f} ({arm['seconds']} s)", flush=True)
    arms.append(arm)

f0 = runs[0][0]
for arm in arms[1:]:
    arm['valid_all_paired_vs_first'] = {k: paired_lift_ci(per_user[f0][k], per_user[arm['file']][k]) for k in ('recall@10', 'ndcg@10')}
pick = max(arms, key=lambda x: x['valid_all']['ndcg@10'])
print(f"picked by NDCG@10 on all validation users: {pick['file']}", flush=True)
save_result(a.out, {x['file']: x['valid_all'] for x in arms}, command_line('scripts/tiger_valid_pick.py'), time.time() - t0,
            commit=a.commit or git_commit('.'), dataset=data.name, rule='highest NDCG@10 on all validation users (constrained beam 20, fp32)',
            picked=pick['file'], arms=arms, valid_users=data.n_users)
