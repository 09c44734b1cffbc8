"""How well does a SASRec ranking find the target's semantic-ID prefix? A reference for TIGER's beam-search survival.

    OMP_NUM_THREADS=1 python benchmarks/sasrec_prefix_recall.py --sasrec_dir runs/beauty/semantic_ids_collab/sasrec \
        --sid_dirs artifacts/beauty/semantic_ids_collab_rebuilt artifacts/beauty/semantic_ids_collab_rqkmeans \
        --out results/beauty_sasrec_prefix_recall.json

For every test user the SASRec (a finished run folder: `train_sasrec` resumes it and loads its best checkpoint, no
training) scores all items; a code prefix of length l gets the log-sum-exp of the scores of the items under it (the
probability a softmax over items puts on the prefix). The share of users whose target's prefix is among the top 20
prefixes at each level is what `benchmarks/tiger_beam_diagnostics.py` reports for TIGER's 20 beams (`top_20`), so the
two can be put side by side: how much of the first-level loss is the IDs' (SASRec loses it too) and how much TIGER's.
"""
import argparse, time
from pathlib import Path
import numpy as np, torch
from scoter_nb.data import load_dataset, eval_batch
from scoter_nb.semantic_ids import SemanticIDs
from scoter_nb.backbones.sasrec import SASRecConfig, train_sasrec, recommended_config
from scoter_nb.metrics import ranks_from_lists, metrics_from_ranks, mean_metrics
from scoter_nb.train import TrainConfig, command_line, git_commit, save_result

p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
p.add_argument('--dataset', default='beauty')
p.add_argument('--sasrec_dir', required=True, help='a finished SASRec run folder (e.g. the one behind collaborative IDs)')
p.add_argument('--sid_dirs', nargs='+', required=True, help='semantic-ID folders to measure')
p.add_argument('--top', type=int, default=20, help='prefixes kept per level (20 = TIGER beam width)')
p.add_argument('--out', required=True)
a = p.parse_args()
commit, t0 = git_commit('.'), time.time()
data = load_dataset(a.dataset)
sasrec_dir = Path(a.sasrec_dir)
if not (sasrec_dir/'best.pt').exists(): raise SystemExit(f'{sasrec_dir}/best.pt missing: give a finished SASRec run folder')
mkw, tkw = recommended_config(data.name)
model, _ = train_sasrec(data, sasrec_dir, SASRecConfig(**mkw), TrainConfig(**tkw | dict(epochs=200, progress=False)))
model.eval()
hist, target = eval_batch(data, 'test', max_len=model.max_len)
with torch.no_grad():
    scores = torch.cat([model.score(hist[i:i + 1024], user=torch.arange(i, min(i + 1024, len(hist)))).float() for i in range(0, len(hist), 1024)])
scores[:, 0] = -torch.inf  # padding item
top = scores.topk(20, dim=1).indices
sasrec_metrics = mean_metrics(metrics_from_ranks(ranks_from_lists(top, target), (5, 10, 20)))
print('SASRec test', {k: round(float(v), 4) for k, v in sasrec_metrics.items()}, flush=True)
out = {}
for d in a.sid_dirs:
    sid = SemanticIDs.load(d, data); codes = torch.from_numpy(sid.codes)
    row = {}
    for l in range(1, codes.shape[1] + 1):
        _, pid = torch.unique(codes[1:, :l], dim=0, return_inverse=True)  # prefix index of items 1..N
        n_pre = int(pid.max()) + 1
        m = scores[:, 1:].max(1, keepdim=True).values  # stable log-sum-exp per prefix
        pre = torch.zeros(len(scores), n_pre).index_add_(1, pid, (scores[:, 1:] - m).exp())
        tgt = pid[target - 1]
        rank = (pre > pre.gather(1, tgt[:, None])).sum(1)  # prefixes scored above the target's
        row[f'level_{l}'] = dict(n_prefixes=n_pre, **{f'top_{k}': round(float((rank < k).float().mean()), 4) for k in (1, 10, a.top)})
    out[d] = dict(source=sid.source, quantizer=sid.report.get('quantizer', 'rqvae'), levels=row)
    print(d, {k: v[f'top_{a.top}'] for k, v in row.items()}, flush=True)
save_result(a.out, dict(sasrec_test=sasrec_metrics, prefix_recall=out), command_line('benchmarks/sasrec_prefix_recall.py'), time.time() - t0,
            commit=commit, dataset=a.dataset, sasrec_dir=str(sasrec_dir), test_users=len(hist), top=a.top,
            note='prefix score = log-sum-exp of the SASRec scores of the items under the prefix; share of test users whose target prefix ranks in the top k')
