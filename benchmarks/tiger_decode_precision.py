"""Does bf16 beam search change TIGER's ranking? Valid and test metrics of one checkpoint, fp32 vs bf16 autocast.

    OMP_NUM_THREADS=1 python benchmarks/tiger_decode_precision.py runs/beauty/semantic_ids_collab \
        runs/beauty/tiger-cpu-sidcollab-ft/best.pt 4000

Arguments: the semantic-ID folder the checkpoint was trained on, a CPU_CONFIG checkpoint (best.pt of
scripts/tiger_beauty.py --config cpu), and the number of random users (seed 1) to decode.
"""
import sys, time
import numpy as np, torch
from scoter_nb.data import load_dataset, eval_batch
from scoter_nb.semantic_ids import SemanticIDs
from scoter_nb.backbones.tiger import Tiger, TigerConfig, CPU_CONFIG
from scoter_nb.metrics import ranks_from_lists, metrics_from_ranks, mean_metrics

if len(sys.argv) != 4: sys.exit(__doc__)
d = load_dataset('beauty'); sid = SemanticIDs.load(sys.argv[1], d)
m = Tiger(sid.codes, cfg=TigerConfig(**CPU_CONFIG['model'])); m.load_state_dict(torch.load(sys.argv[2], map_location='cpu')); m.eval()
users = np.sort(np.random.default_rng(1).choice(d.n_users, int(sys.argv[3]), replace=False))
for split in ('valid', 'test'):
    hist, target = eval_batch(d, split, max_len=20, users=users); user = torch.as_tensor(users)
    for prec in ('fp32', 'bf16'):
        t = time.time()
        with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16, enabled=prec == 'bf16'):
            lists = torch.cat([m.recommend(hist[i:i + 128], 20, user=user[i:i + 128]) for i in range(0, len(hist), 128)])
        mm = mean_metrics(metrics_from_ranks(ranks_from_lists(lists, target), (10, 20)))
        print(split, prec, {k: round(v, 4) for k, v in mm.items()}, f'{time.time() - t:.0f}s', flush=True)
