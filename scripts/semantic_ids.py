"""Build a data set's semantic IDs (item embeddings → RQ-VAE → collision token) and write the report.

    OMP_NUM_THREADS=1 python scripts/semantic_ids.py --dataset beauty --out results/beauty_semantic_ids.json
"""
import argparse, time
from pathlib import Path
from scoter_nb.data import load_dataset
from scoter_nb.semantic_ids import RQVAEConfig, build_semantic_ids, semantic_ids_result
from scoter_nb.train import save_result, git_commit, command_line

p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
p.add_argument('--dataset', default='beauty')
p.add_argument('--run_dir', default=None, help='default runs/<dataset>/semantic_ids')
p.add_argument('--source', default='auto', choices=['auto', 'text', 'collab'])
p.add_argument('--steps', type=int, default=RQVAEConfig.steps)
p.add_argument('--seed', type=int, default=0)
p.add_argument('--out', default=None, help='result json (default results/<dataset>_semantic_ids.json)')
p.add_argument('--progress', default='true')
a = p.parse_args()
commit, t0 = git_commit('.'), time.time()
data = load_dataset(a.dataset)
run_dir = Path(a.run_dir or f'runs/{a.dataset}/semantic_ids')
cached = (run_dir/'semantic_ids.json').exists()
sid = build_semantic_ids(data, run_dir, RQVAEConfig(steps=a.steps, seed=a.seed), source=a.source, progress=a.progress == 'true')
out = a.out or f'results/{a.dataset}_semantic_ids.json'
rec = save_result(out, semantic_ids_result(sid), command_line('scripts/semantic_ids.py'), time.time() - t0,
                  commit=commit, dataset=a.dataset, source=sid.source, rqvae_config=sid.config, run_dir=str(run_dir),
                  levels=sid.report['levels'], loaded_from_cache=cached,
                  note=('loaded from run_dir: wall_seconds is the load, not the build' if cached else 'built in this run'), loss_history=sid.report['loss_history'])
print(rec['metrics'])
