"""TIGER speed on this CPU: training windows/s (fp32, bf16 autocast) and constrained beam-search users/s, HF `generate`
with `prefix_allowed_tokens_fn` vs our batched search, both measured in one process (so their ratio is fair on a shared
machine). Paper configuration by default.

    OMP_NUM_THREADS=1 python benchmarks/tiger_speed.py --dataset beauty --out results/tiger_speed.json
"""
import argparse, json, os, time
from dataclasses import asdict
import torch
from scoter_nb.data import load_dataset
from scoter_nb.semantic_ids import SemanticIDs
from scoter_nb.backbones.tiger import TigerConfig, tiger_speed, CPU_CONFIG
from scoter_nb.train import save_result, git_commit, command_line

p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
p.add_argument('--dataset', default='beauty')
p.add_argument('--sid_dir', default=None, help='default runs/<dataset>/semantic_ids')
p.add_argument('--configs', nargs='+', default=['paper'], choices=['paper', 'cpu'])
p.add_argument('--attn', nargs='+', default=['eager'], choices=['eager', 'sdpa'])
p.add_argument('--batch_size', type=int, default=256)
p.add_argument('--train_steps', type=int, default=8)
p.add_argument('--decode_users', type=int, default=256)
p.add_argument('--decode_batch', type=int, default=64)
p.add_argument('--out', default='results/tiger_speed.json')
p.add_argument('--device', default=None, help="'cpu' or 'cuda' (default: the GPU if there is one)")
p.add_argument('--commit', default=None, help='commit to record (default: git rev-parse of this checkout)')
a = p.parse_args()
commit, t0 = a.commit or git_commit('.'), time.time()
data = load_dataset(a.dataset)
sid = SemanticIDs.load(a.sid_dir or f'runs/{a.dataset}/semantic_ids', data)
load_before = os.getloadavg()
res = {}
for c in a.configs:
    cfg = TigerConfig() if c == 'paper' else TigerConfig(**CPU_CONFIG['model'])
    for attn in a.attn:
        r = tiger_speed(data, sid, cfg, batch_size=a.batch_size, train_steps=a.train_steps, decode_users=a.decode_users,
                        decode_batch=a.decode_batch, attn_implementation=attn, device=a.device)
        print(c, attn, json.dumps(r), flush=True)
        res |= {f'{c}_{attn}_{k}': v for k, v in r.items()}
save_result(a.out, res, command_line('benchmarks/tiger_speed.py'), time.time() - t0, commit=commit,
            dataset=a.dataset, threads=torch.get_num_threads(), loadavg_before=[round(x, 2) for x in load_before],
            loadavg_after=[round(x, 2) for x in os.getloadavg()], batch_size=a.batch_size, decode_batch=a.decode_batch, beams=20,
            reference_this_cpu=dict(train_fp32=65, train_bf16=80, hf_decode_fp32=23, hf_decode_bf16=46),
            configs={c: asdict(TigerConfig() if c == 'paper' else TigerConfig(**CPU_CONFIG['model'])) for c in a.configs},
            note='reference figures were measured on synthetic shapes (full 81-token inputs) on an idle machine; here real '
                 'Beauty windows (trimmed to the longest history of each batch) on a machine shared with other jobs')
