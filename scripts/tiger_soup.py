"""Average the weights of TIGER checkpoints that share a starting point (a "model soup") and score the average on all
validation users, paired against the first checkpoint.

    OMP_NUM_THREADS=2 python scripts/tiger_soup.py \
        --inputs results/beauty_tiger_cpu_collab_rebuilt_s42_ft7_44a.json results/beauty_tiger_cpu_collab_rebuilt_s42_ft7_44b.json \
        --out_ckpt runs/beauty/tiger-soup-ft7/soup_ft7_44a_44b.pt \
        --out results/beauty_tiger_cpu_collab_rebuilt_ft7_soup_valid_s42.json

Each input is a result file of `scripts/tiger_beauty.py`; its checkpoint is `--ckpts` (same order; default
`<run_dir>/best.pt`). The inputs must have the same model configuration and semantic IDs. The average is uniform over
the floating-point tensors (integer buffers must agree). The validation pass is the one `scripts/tiger_valid_pick.py`
makes (fp32, constrained beam 20, all users) and reuses its caches (`<best.pt>.valid_all.pt`). The test split is not
read: the soup is a candidate starting point, chosen or not on validation alone.
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np, torch
from scoter_nb.backbones.tiger import Tiger, TigerConfig
from scoter_nb.backbones.core import evaluate_backbone
from scoter_nb.data import load_dataset
from scoter_nb.metrics import paired_lift_ci, bootstrap_ci
from scoter_nb.semantic_ids import SemanticIDs
from scoter_nb.train import command_line, git_commit, save_result, atomic_save

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--inputs', nargs='+', required=True, help='result files of scripts/tiger_beauty.py; the first is the reference')
p.add_argument('--ckpts', nargs='*', default=None, help='their best.pt files, in the same order (default <run_dir>/best.pt)')
p.add_argument('--out_ckpt', required=True, help='where the averaged state dict is written')
p.add_argument('--batch', type=int, default=256)
p.add_argument('--out', required=True)
p.add_argument('--commit', default=None)
a = p.parse_args()
if len(a.inputs) < 2: sys.exit('give at least two result files')
if a.ckpts and len(a.ckpts) != len(a.inputs): sys.exit(f'{len(a.inputs)} inputs but {len(a.ckpts)} checkpoints')

t0, rs, cks = time.time(), [], []
for i, f in enumerate(a.inputs):
    r = json.loads(Path(f).read_text())
    missing = [k for k in ('model_cfg', 'run_dir', 'semantic_ids', 'dataset') if k not in r]
    if missing: sys.exit(f'{f}: not a scripts/tiger_beauty.py result (missing {missing})')
    for k in ('model_cfg', 'dataset'):
        if rs and r[k] != rs[0][k]: sys.exit(f'{f}: {k} differs from {a.inputs[0]}: {r[k]} vs {rs[0][k]}')
    if rs and r['semantic_ids']['dir'] != rs[0]['semantic_ids']['dir']: sys.exit(f'{f}: other semantic IDs than {a.inputs[0]}')
    ck = Path(a.ckpts[i] if a.ckpts else Path(r['run_dir'])/'best.pt')
    if not ck.exists(): sys.exit(f'{f}: checkpoint {ck} not found (pass --ckpts)')
    rs.append(r); cks.append(ck)

states = [torch.load(ck, map_location='cpu') for ck in cks]
soup = {}
for k, v in states[0].items():
    if any(k not in s or s[k].shape != v.shape for s in states[1:]): sys.exit(f'{k}: missing or of another shape in one of {cks}')
    if v.is_floating_point(): soup[k] = (sum(s[k].double() for s in states) / len(states)).to(v.dtype)
    elif any(not torch.equal(s[k], v) for s in states[1:]): sys.exit(f'{k}: an integer buffer that differs between checkpoints')
    else: soup[k] = v
Path(a.out_ckpt).parent.mkdir(parents=True, exist_ok=True); atomic_save(soup, Path(a.out_ckpt))

data = load_dataset(rs[0]['dataset']); sid = SemanticIDs.load(Path(rs[0]['semantic_ids']['dir']), data)
mcfg = TigerConfig(**rs[0]['model_cfg'])

def score(ck:Path, state=None):
    "All-users validation metrics and per-user values, from tiger_valid_pick.py's cache when it matches the file."
    cache, stamp = ck.with_name(ck.name + '.valid_all.pt'), dict(size=ck.stat().st_size, mtime=ck.stat().st_mtime)
    if cache.exists() and (c := torch.load(cache, weights_only=False))['stamp'] == stamp: return c['all'], c['per_user']
    model = Tiger(sid.codes, sid.n_codes, mcfg); model.load_state_dict(state if state is not None else torch.load(ck, map_location='cpu'))
    with torch.no_grad(): m, pu = evaluate_backbone(model, data, 'valid', max_len=mcfg.max_hist, batch_size=a.batch, per_user=True, ranked_lists=True)
    torch.save(dict(stamp=stamp, all=m, per_user=pu), cache)
    return m, pu

rows, pus = [], []
for f, ck in zip(a.inputs, cks):
    m, pu = score(ck); pus.append(pu); rows.append(dict(file=f, checkpoint=str(ck), valid_all=m))
    print(f"{f}: all {data.n_users} users N@10 {m['ndcg@10']:.5f}", flush=True)
m_soup, pu_soup = score(Path(a.out_ckpt), soup)
print(f"soup of {len(cks)}: all users N@10 {m_soup['ndcg@10']:.5f}", flush=True)
for row, pu in zip(rows[1:], pus[1:]): row['valid_all_paired_vs_first'] = {k: paired_lift_ci(pus[0][k], pu[k]) for k in ('recall@10', 'ndcg@10')}
soup_row = dict(checkpoint=a.out_ckpt, valid_all=m_soup, valid_all_ci95={k: bootstrap_ci(pu_soup[k]) for k in ('recall@10', 'ndcg@10')},
                valid_all_paired_vs_first={k: paired_lift_ci(pus[0][k], pu_soup[k]) for k in ('recall@10', 'ndcg@10')})
save_result(a.out, {'soup, validation (all users)': m_soup}, command_line('scripts/tiger_soup.py'), time.time() - t0, commit=a.commit or git_commit('.'),
            dataset=data.name, what='uniform weight average of the inputs\' checkpoints, scored on all validation users (constrained beam 20, fp32)',
            inputs=rows, soup=soup_row, valid_users=data.n_users)
