"""Train TIGER on a data set under a time budget, evaluate the best checkpoint on the test split, write the result.

    OMP_NUM_THREADS=1 nohup python scripts/tiger_beauty.py --dataset beauty --config cpu --max_minutes 60 \
        --run_dir runs/beauty/tiger-cpu --out results/beauty_tiger_cpu.json > runs/logs/tiger_beauty.log 2>&1 &

Resumable: rerunning the same command continues from <run_dir>/last.pt (the budget counts from the restart).
"""
import argparse, json, time
from dataclasses import asdict
from pathlib import Path
import numpy as np
import torch
from scoter_nb.data import load_dataset, eval_batch, TigerWindowSet
from scoter_nb.metrics import ranks_from_lists, metrics_from_ranks, mean_metrics, bootstrap_ci
from scoter_nb.semantic_ids import SemanticIDs, RQVAEConfig, build_semantic_ids
from scoter_nb.backbones.tiger import TigerConfig, train_tiger, invalid_rate, deepen_state_dict, CPU_CONFIG
from scoter_nb.train import TrainConfig, save_result, git_commit, read_metrics, command_line

p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
p.add_argument('--dataset', default='beauty')
p.add_argument('--config', default='cpu', choices=['cpu', 'paper'], help="'cpu': CPU_CONFIG (reduced); 'paper': TigerConfig()")
p.add_argument('--sid_dir', default=None, help='semantic IDs stage folder (default runs/<dataset>/semantic_ids; built if missing)')
p.add_argument('--run_dir', default=None, help='default runs/<dataset>/tiger-<config>')
p.add_argument('--max_minutes', type=float, default=None, help='training time budget (test evaluation comes after it)')
p.add_argument('--epochs', type=int, default=1000, help='maximum rounds')
p.add_argument('--round_size', type=int, default=None, help='windows per round (default from the config)')
p.add_argument('--valid_users', type=int, default=None)
p.add_argument('--lr', type=float, default=None)
p.add_argument('--batch_size', type=int, default=None)
p.add_argument('--mixed_precision', default=None, choices=['no', 'bf16'])
p.add_argument('--patience', type=int, default=None)
p.add_argument('--schedule', default=None, choices=['constant', 'linear', 'cosine'])
p.add_argument('--warmup_steps', type=int, default=None)
p.add_argument('--init_from', default=None, help='start from these weights (e.g. runs/beauty/tiger-cpu/best.pt)')
p.add_argument('--seed', type=int, default=42)
p.add_argument('--user_buckets', type=int, default=None, help='TigerConfig.user_buckets (0: no user token; default: the config\'s 2,000)')
p.add_argument('--train_softmax', default='codes', choices=['codes', 'valid'], help="TigerConfig.train_softmax: 'codes' (the paper) or 'valid' (chapter 06b)")
p.add_argument('--test_batch', type=int, default=256)
p.add_argument('--test_users', type=int, default=None, help='first N users only (smoke tests; default all)')
p.add_argument('--dropout', type=float, default=None, help="TigerConfig.dropout (default: the config's 0.1)")
p.add_argument('--n_enc', type=int, default=None, help="TigerConfig.n_enc (default: the config's)")
p.add_argument('--n_dec', type=int, default=None, help="TigerConfig.n_dec (default: the config's)")
p.add_argument('--deepen', action='store_true', help='grow the shallower --init_from checkpoint to --n_enc/--n_dec layers first (deepen_state_dict: the same function, extra blocks start silent)')
p.add_argument('--weight_decay', type=float, default=None, help="AdamW weight decay (default: the config's)")
p.add_argument('--out', default=None, help='result json (default results/<dataset>_tiger_<config>.json)')
p.add_argument('--progress', default='false')
p.add_argument('--commit', default=None, help='commit to record (default: git rev-parse of this checkout; for copies without .git)')
a = p.parse_args()

commit, t0 = a.commit or git_commit('.'), time.time()
data = load_dataset(a.dataset)
sid_dir = Path(a.sid_dir or f'runs/{a.dataset}/semantic_ids')
sid = SemanticIDs.load(sid_dir, data) if (sid_dir/'semantic_ids.json').exists() else build_semantic_ids(data, sid_dir, RQVAEConfig())
print(f'semantic IDs: {sid.source}; collision rate {sid.report["collision_rate"]:.2%}', flush=True)
if a.config == 'cpu':
    mcfg = TigerConfig(**CPU_CONFIG['model']); tkw = dict(CPU_CONFIG['train'])
    round_size, valid_users = CPU_CONFIG['round_size'], CPU_CONFIG['valid_users']
else:
    mcfg = TigerConfig(); tkw = dict(batch_size=256, lr=1e-3, warmup_steps=1000, monitor='ndcg@10', patience=6)
    round_size, valid_users = 20000, 2000
mcfg.train_softmax = a.train_softmax
if a.user_buckets is not None: mcfg.user_buckets = a.user_buckets
if a.dropout is not None: mcfg.dropout = a.dropout
if a.n_enc is not None: mcfg.n_enc = a.n_enc
if a.n_dec is not None: mcfg.n_dec = a.n_dec
for k in ('lr', 'batch_size', 'mixed_precision', 'patience', 'schedule', 'warmup_steps', 'weight_decay'):
    if getattr(a, k) is not None: tkw[k] = getattr(a, k)
round_size = a.round_size or round_size; valid_users = a.valid_users or valid_users
tcfg = TrainConfig(**tkw | dict(epochs=a.epochs, seed=a.seed, eval_every=1, progress=a.progress == 'true'))
run_dir = Path(a.run_dir or f'runs/{a.dataset}/tiger-{a.config}')
train_cfg_used = asdict(tcfg)  # before the budget sets patience to 0
init = a.init_from  # a checkpoint of another depth is refused by Tiger.load_state_dict, which points to --deepen's function
if a.deepen:
    if not a.init_from: p.error('--deepen needs --init_from')
    run_dir.mkdir(parents=True, exist_ok=True); init = run_dir/'init_deepened.pt'
    torch.save(deepen_state_dict(torch.load(a.init_from, map_location='cpu'), mcfg.n_enc, mcfg.n_dec), init)
    print(f'{a.init_from} deepened to {mcfg.n_enc}+{mcfg.n_dec} layers: {init}', flush=True)
model, res = train_tiger(data, sid, run_dir, mcfg, tcfg, round_size=round_size, valid_users=valid_users, max_minutes=a.max_minutes, init_from=init)
print(f'best round {res.best_epoch}: valid {res.best}', flush=True)

# test split, best validation checkpoint (loaded by fit), constrained beam search over all users
t1 = time.time(); model.eval(); dev = next(model.parameters()).device
n_test = a.test_users or data.n_users
hist, target = eval_batch(data, 'test', max_len=mcfg.max_hist, users=range(n_test))
hist, user = hist.to(dev), torch.arange(n_test, device=dev)
with torch.no_grad(), torch.autocast(dev.type, dtype=torch.bfloat16, enabled=tcfg.mixed_precision == 'bf16'):
    lists = torch.cat([model.recommend(hist[i:i + a.test_batch], 20, user=user[i:i + a.test_batch]).cpu() for i in range(0, len(hist), a.test_batch)])
pu = metrics_from_ranks(ranks_from_lists(lists, target), (5, 10, 20))
np.save(run_dir/'test_lists.npy', lists.numpy().astype(np.int32))  # per-user top-20, for paired comparisons between runs
metrics = mean_metrics(pu)
test_s = time.time() - t1
hist_rows = read_metrics(run_dir)
curve = [dict(round=h['epoch'], windows_seen=h['epoch'] * round_size, train_loss=h['train_loss'],
              **{k: h[k] for k in h if k.startswith('valid_')}, elapsed_seconds=h['elapsed_seconds']) for h in hist_rows]
n_win = len(TigerWindowSet(data, mcfg.max_hist))
paper = {'recall@5': .0441, 'recall@10': .0642, 'ndcg@5': .0309, 'ndcg@10': .0374}
out = a.out or f'results/{a.dataset}_tiger_{a.config}.json'
rec = save_result(out, metrics, command_line('scripts/tiger_beauty.py'), time.time() - t0, commit=commit,
                  dataset=a.dataset, config_name=a.config, model_cfg=asdict(mcfg), train_cfg=train_cfg_used, budget_minutes=a.max_minutes, init_from=a.init_from, deepened=a.deepen, round_size=round_size,
                  valid_users=valid_users, n_windows=n_win,
                  best_round=res.best_epoch, rounds_run=len(hist_rows), windows_seen=len(hist_rows) * round_size,
                  epochs_equivalent=round(len(hist_rows) * round_size / n_win, 3), stopped_early=res.stopped_early,
                  train_seconds=round(res.seconds, 1), test_seconds=round(test_s, 1), valid_best=res.best,
                  test_invalid_rate=invalid_rate(lists, data.n_items), test_users=n_test,
                  ci95={k: bootstrap_ci(pu[k]) for k in ('recall@10', 'ndcg@10')},
                  paper_tiger=paper, sasrec_paper_recall10=0.0605, semantic_ids=dict(source=sid.source, dir=str(sid_dir),
                  collision_rate=sid.report['collision_rate']), learning_curve=curve, run_dir=str(run_dir),
                  test_lists=str(run_dir/'test_lists.npy'))
print(json.dumps(rec['metrics']), flush=True)
