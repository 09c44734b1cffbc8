"""SCoTER on TIGER: fine-tune TIGER + fusion from a trained TIGER, then TIGER vs SCoTER-TIGER on the test split
(paired per user, with bootstrap CIs, overall and sparse/dense users). One seed: the backbone is one trained run.

    OMP_NUM_THREADS=1 python scripts/tiger_scoter.py --dataset beauty --store history --tiger_run runs/beauty/tiger-gpu \\
        --max_minutes 25

With --control_run (the same TIGER trained on alone for the same rounds: scripts/tiger_beauty.py --init_from
<tiger_run>/best.pt), SCoTER-TIGER is also paired with it per user (vs_control), the fair comparison:

    OMP_NUM_THREADS=1 python scripts/tiger_scoter.py --dataset ml-100k --store history --tiger_run runs/ml-100k/tiger-cpu \
        --control_run runs/ml-100k/tiger-cpu-continue --epochs 8 --mixed_precision no

Writes results/<dataset>_tiger_main[_history].json. Resumable: the fusion run folder continues from its last.pt, and
each model's per-user test metrics are cached in its run folder.
"""
import argparse, json, time
from types import SimpleNamespace
from dataclasses import asdict
from pathlib import Path
import torch

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--dataset', default='beauty')
p.add_argument('--store', required=True, help="'history' (runs/<dataset>/history_store) or a ReasoningStore folder")
p.add_argument('--tiger_run', required=True, help='run folder of the trained TIGER (config.json, best.pt)')
p.add_argument('--control_run', default=None,
               help='run folder of the same TIGER trained on alone with the same loop settings (scripts/tiger_beauty.py '
                    '--init_from <tiger_run>/best.pt): SCoTER-TIGER is also paired against it (vs_control)')
p.add_argument('--control_wait', type=float, default=120,
               help='minutes to wait for the control to finish (its result.json) when it is trained beside this run')
p.add_argument('--sid_dir', default=None, help='semantic IDs stage folder (default runs/<dataset>/semantic_ids)')
p.add_argument('--run_dir', default=None, help='fusion run folder (default runs/<dataset>/experiments/scoter_tiger_<store label>)')
p.add_argument('--max_minutes', type=float, default=None, help='training time budget')
p.add_argument('--epochs', type=int, default=1000, help='maximum rounds')
p.add_argument('--round_size', type=int, default=20000)
p.add_argument('--valid_users', type=int, default=2000)
p.add_argument('--lr', type=float, default=5e-4)
p.add_argument('--patience', type=int, default=3)
p.add_argument('--seed', type=int, default=42, help='loop seed (also picks the validation users, as in the TIGER run)')
p.add_argument('--test_batch', type=int, default=128)
p.add_argument('--mixed_precision', choices=('no', 'bf16'), default='bf16',
               help="fine-tuning and test evaluation under bf16 autocast ('bf16', fast on CPUs with AVX-512 bf16 and on GPUs) or in fp32 ('no')")
p.add_argument('--n_boot', type=int, default=2000)
p.add_argument('--results', default='results')
p.add_argument('--out', default=None, help='result file (default <results>/<dataset>_tiger_main[_<store label>].json); e.g. a second loop seed')
p.add_argument('--commit', default=None, help='commit to record (default: this checkout at the start)')
a = p.parse_args()

from scoter_nb.data import load_dataset
from scoter_nb.semantic_ids import SemanticIDs
from scoter_nb.store import ReasoningStore, open_history_store
from scoter_nb.train import TrainConfig, save_result, git_commit, command_line
from scoter_nb.backbones.tiger import Tiger, TigerConfig
from scoter_nb.fusion import FusionConfig, train_fusion_tiger
from scoter_nb.experiments import summarise_pairs, segment_lifts, store_record, per_user_test_metrics

commit, t0 = a.commit or git_commit('.'), time.time()
dev_name = 'GPU' if torch.cuda.is_available() else 'CPU'
command = command_line('scripts/tiger_scoter.py')
data = load_dataset(a.dataset)
sid = SemanticIDs.load(a.sid_dir or f'runs/{a.dataset}/semantic_ids', data)
if a.store == 'history': label, store = 'history', open_history_store(data, Path('runs')/a.dataset/'history_store')  # resumes a cut build
else: label, store = 'distilled', ReasoningStore(Path(a.store), data)
tiger_run = Path(a.tiger_run)
conf = json.loads((tiger_run/'config.json').read_text())
if conf.get('model') != 'TIGER': raise SystemExit(f"{tiger_run/'config.json'}: model {conf.get('model')!r}, expected 'TIGER'")
mcfg = TigerConfig(**conf['model_cfg'])

test = lambda model, fit_result: per_user_test_metrics(model, fit_result, data, mcfg.max_hist, ranked_lists=True, bf16=a.mixed_precision == 'bf16',
                                                       batch_size=a.test_batch)  # cached in the run folder per best epoch

def best_valid(run): # a TIGER run folder -> its best validation row (the epoch whose weights are best.pt)
    rows = [json.loads(l) for l in (run/'metrics.jsonl').read_text().splitlines() if 'valid_ndcg@10' in l]
    if not rows: raise SystemExit(f"{run/'metrics.jsonl'}: no validation rows")
    return max(rows, key=lambda r: r['valid_ndcg@10'])

def tiger_test(run): # per-user test metrics of a trained TIGER run's best.pt (same model configuration)
    c = json.loads((run/'config.json').read_text())
    if c.get('model_cfg') != conf['model_cfg']: raise SystemExit(f"{run/'config.json'}: model_cfg differs from {tiger_run/'config.json'}")
    m = Tiger(sid.codes, sid.n_codes, mcfg); m.load_state_dict(torch.load(run/'best.pt', map_location='cpu')); m.eval()
    return test(m, SimpleNamespace(run_dir=run, best_epoch=best_valid(run)['epoch']))

tiger_valid = best_valid(tiger_run)
base = tiger_test(tiger_run)

tcfg = TrainConfig(batch_size=256, lr=a.lr, warmup_steps=100, mixed_precision=a.mixed_precision, monitor='ndcg@10', patience=a.patience,
                   epochs=a.epochs, seed=a.seed, eval_every=1, progress=False)
fcfg = FusionConfig(last_only=False, gated=True)  # as train_fusion_tiger's default (chapter 08)
run_dir = Path(a.run_dir or Path('runs')/a.dataset/'experiments'/f'scoter_tiger_{label}')
tcfg_used = asdict(tcfg)
if a.control_run:  # fail before training: the control must be this TIGER trained on with this run's loop settings
    cp = Path(a.control_run)/'config.json'
    if not cp.exists(): raise SystemExit(f'{cp} not found: train the control first (scripts/tiger_beauty.py --init_from {tiger_run}/best.pt)')
    cc = json.loads(cp.read_text())
    loop = {k: tcfg_used[k] for k in ('seed', 'lr', 'epochs', 'patience', 'mixed_precision', 'batch_size', 'warmup_steps', 'schedule')}
    bad = [f'{k}: {cc.get(k)!r}, here {v!r}' for k, v in (loop | dict(round_size=a.round_size, valid_users=a.valid_users)).items() if cc.get(k) != v]
    if not cc.get('init_from') or Path(cc['init_from']).resolve() != (tiger_run/'best.pt').resolve():
        bad.insert(0, f"init_from: {cc.get('init_from')!r}, here {str(tiger_run/'best.pt')!r}")
    if bad: raise SystemExit(f"{cp}: the control was not trained on from this TIGER with these loop settings ({'; '.join(bad)})")
model, res = train_fusion_tiger(data, store, sid, run_dir, mcfg, tcfg, fcfg, init_backbone=tiger_run/'best.pt',
                                round_size=a.round_size, valid_users=a.valid_users, max_minutes=a.max_minutes)
print(f'best round {res.best_epoch}: valid {res.best}', flush=True)
fused = test(model, res)

pairs = [dict(seed=a.seed, sasrec=base, scoter=fused)]  # summarise_pairs' keys: 'sasrec' = the backbone (TIGER here)
summary = summarise_pairs(pairs, n_boot=a.n_boot)
summary['models'] = {'TIGER': summary['models'].pop('sasrec'), 'SCoTER-TIGER': summary['models'].pop('scoter')}
segs = segment_lifts(pairs, data, n_boot=a.n_boot)
for s in ('sparse', 'dense'):
    segs[s]['models'] = {'TIGER': segs[s]['models'].pop('sasrec'), 'SCoTER-TIGER': segs[s]['models'].pop('scoter')}
extra = {}
if a.control_run:  # the fair pair: TIGER trained on alone in the same way vs SCoTER-TIGER
    done = Path(a.control_run)/'result.json'  # written by fit when the control's training ends: its best.pt is final
    if not done.exists(): print(f'waiting for the control to finish ({done})', flush=True)
    t_wait = time.time()
    while not done.exists():
        if time.time() - t_wait > a.control_wait * 60: raise SystemExit(f'{done} not written after {a.control_wait} min: finish the control, then rerun (the fusion run resumes)')
        time.sleep(15)
    ctrl = tiger_test(Path(a.control_run))
    vs = summarise_pairs([dict(seed=a.seed, sasrec=ctrl, scoter=fused)], n_boot=a.n_boot)
    vs['models'] = {'TIGER, continued': vs['models'].pop('sasrec'), 'SCoTER-TIGER': vs['models'].pop('scoter')}
    extra = dict(control_run=a.control_run, control_valid={k[6:]: v for k, v in best_valid(Path(a.control_run)).items() if k.startswith('valid_')})
out = Path(a.out) if a.out else Path(a.results)/f"{a.dataset}_tiger_main{'' if label == 'distilled' else '_' + label}.json"
save_result(out, dict(main=summary, segments=segs) | (dict(vs_control=vs) if a.control_run else {}), command, time.time() - t0, commit=commit, dataset=a.dataset,
            store=store_record(store), backbone_run=str(tiger_run), backbone_model_cfg=asdict(mcfg),
            backbone_valid={k[6:]: v for k, v in tiger_valid.items() if k.startswith('valid_')},
            fusion_run=str(run_dir), fusion_cfg=asdict(fcfg), train_cfg=tcfg_used, round_size=a.round_size,
            valid_users=a.valid_users, budget_minutes=a.max_minutes, best_round=res.best_epoch, rounds_run=len(res.history),
            valid_best=res.best, train_seconds=round(res.seconds, 1), **extra,
            note='one seed (one trained TIGER); lifts are paired over users; test metrics of both models computed here '
                 + ('with bf16 autocast' if a.mixed_precision == 'bf16' else 'in fp32') + f' on the {dev_name}')
print('wrote', out, json.dumps({k: v['lift'] for k, v in summary['lift'].items()}), flush=True)
