"""Do chapter 10's analyses give the same numbers on a CUDA model as on the CPU?

The order (`fusion_order_tv`, `fusion_effect_tv`) and mutual-information (`mi_bounds`, which calls
`reasoning_representations` and `prediction_states`) analyses send their inputs to the model's device. This script runs
each of them twice on the same trained models -- once on the CPU, once on the GPU (TF32 off) -- and writes the largest
differences. It fails (exit 1) when a difference exceeds its tolerance.

    # on the CPU: a small real setting (ml-100k, history-store control for the first 200 users, 2 epochs each)
    python scripts/gpu_check_analyses.py --prepare --root .gpu/check
    # on the GPU machine
    python scripts/gpu_check_analyses.py --root .gpu/check --out results/ml-100k_gpu_check_analyses.json
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np, torch
from scoter_nb.data import load_dataset
from scoter_nb.embed import TextEmbedder
from scoter_nb.store import ReasoningStore, build_history_store
from scoter_nb.train import TrainConfig, save_result, command_line, git_commit
from scoter_nb.backbones.sasrec import SASRec, SASRecConfig, recommended_config
from scoter_nb.fusion import FusionConfig
from scoter_nb.experiments import run_pair, load_fusion, fusion_order_tv, fusion_effect_tv, mi_bounds

p = argparse.ArgumentParser()
p.add_argument('--root', default='.gpu/check', help='holds history_store/ and the run folders')
p.add_argument('--prepare', action='store_true', help='build the store and train the runs (CPU), then stop')
p.add_argument('--users', type=int, default=200, help='users with a store entry (the first N)')
p.add_argument('--out', default=None, help='result json (default: print only)')
p.add_argument('--commit', default=None)
p.add_argument('--second', default='cuda', help="device of the second run ('cpu': a dry run of the script itself)")
a = p.parse_args()
t0, root = time.time(), Path(a.root)
data = load_dataset('ml-100k')
rm, rt = recommended_config('ml-100k')
mcfg, tcfg = SASRecConfig(**rm), TrainConfig(**rt | dict(epochs=2, progress=False))
if a.prepare:
    build_history_store(data, root/'history_store', TextEmbedder(), users=np.arange(a.users), progress=False)
    store = ReasoningStore(root/'history_store', data, allow_incomplete=True)
    run_pair(data, store, 0, root, mcfg, tcfg, name='scoter_history')
    run_pair(data, store, 0, root, mcfg, tcfg, FusionConfig(stepwise=False), name='scoter_history_nostep')
    for f in root.rglob('last.pt'): f.unlink()  # only best.pt travels
    sys.exit(0)

store = ReasoningStore(root/'history_store', data, allow_incomplete=True)
full = load_fusion(root/'scoter_history_seed0', data, store)
pooled = load_fusion(root/'scoter_history_nostep_seed0', data, store)
sasrec = SASRec(data.n_items, mcfg); sasrec.load_state_dict(torch.load(root/'sasrec_seed0'/'best.pt', map_location='cpu')); sasrec.eval()
torch.backends.cuda.matmul.allow_tf32 = False; torch.backends.cudnn.allow_tf32 = False

def analyses(dev):
    for m in (full, pooled, sasrec): m.to(dev)
    t = time.time()
    tv, users = fusion_order_tv(full, data)
    eff = fusion_effect_tv(full, data, users)
    mi = mi_bounds(full, data, pooled, sasrec, N=64, n_rounds=3, n_boot=20)
    flat = {f'{g}: {n}': v['mean'] for g, d in mi['bounds'].items() for n, v in d.items()} | {f'diff: {n}': v['mean'] for n, v in mi['diffs'].items()}
    return dict(tv=tv, eff=eff, users=users, mi=flat, seconds=round(time.time() - t, 2), device=str(next(full.parameters()).device))

if a.second == 'cuda' and not torch.cuda.is_available(): sys.exit('no CUDA device: this check compares a GPU run with a CPU run (--second cpu for a dry run)')
cpu, gpu = analyses('cpu'), analyses(a.second)
assert (cpu['users'] == gpu['users']).all()
diff = dict(order_tv=float(np.abs(cpu['tv'] - gpu['tv']).max()), effect_tv=float(np.abs(cpu['eff'] - gpu['eff']).max()),
            mi=float(max(abs(cpu['mi'][k] - gpu['mi'][k]) for k in cpu['mi'])))
tol = dict(order_tv=1e-5, effect_tv=1e-4, mi=1e-3)
ok = {k: diff[k] <= tol[k] for k in diff}
metrics = dict(max_abs_diff=diff, tolerance=tol, passed=all(ok.values()), n_users=int(len(cpu['users'])),
               cpu=dict(order_tv_mean=float(cpu['tv'].mean()), effect_tv_mean=float(cpu['eff'].mean()), mi=cpu['mi'], seconds=cpu['seconds']),
               gpu=dict(order_tv_mean=float(gpu['tv'].mean()), effect_tv_mean=float(gpu['eff'].mean()), mi=gpu['mi'], seconds=gpu['seconds'],
                        device=torch.cuda.get_device_name(0) if a.second == 'cuda' else 'cpu'))
print(json.dumps(metrics, indent=1))
if a.out: save_result(a.out, metrics, command_line('scripts/gpu_check_analyses.py'), time.time() - t0, commit=a.commit or git_commit('.'),
                      dataset='ml-100k', setting='history-store control for the first 200 users, SASRec and fusion 2 epochs each (a small real check, not a result)')
sys.exit(0 if metrics['passed'] else 1)
