"""Build a data set's semantic IDs (item embeddings → RQ-VAE → collision token) and write the report.

    OMP_NUM_THREADS=1 python scripts/semantic_ids.py --dataset beauty --out results/beauty_semantic_ids.json

`--quantizer rqkmeans` quantises by residual k-means instead of the RQ-VAE (an alternative, not the paper's method).
`--source random` writes the random-ID ablation (uniform codes, no item content) instead; give it its own --run_dir.
`--source hybrid` concatenates the text and collaborative embeddings (chapter 05); copy the caches of both into its --run_dir
(item_text_emb.*, sasrec/) to build on the same embeddings.
"""
import argparse, time
from pathlib import Path
from scoter_nb.data import load_dataset
from scoter_nb.semantic_ids import RQVAEConfig, RQKMeansConfig, SemanticIDs, build_semantic_ids, random_semantic_ids, semantic_ids_result
from scoter_nb.train import save_result, git_commit, command_line

p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
p.add_argument('--dataset', default='beauty')
p.add_argument('--run_dir', default=None, help='default runs/<dataset>/semantic_ids')
p.add_argument('--source', default='auto', choices=['auto', 'text', 'collab', 'hybrid', 'random'],
               help="'random': the random-ID ablation (no item content)")
p.add_argument('--quantizer', default='rqvae', choices=['rqvae', 'rqkmeans'], help="'rqvae': the paper's RQ-VAE; 'rqkmeans': residual k-means (chapter 05)")
p.add_argument('--steps', type=int, default=RQVAEConfig.steps, help='RQ-VAE steps (rqvae only)')
p.add_argument('--seed', type=int, default=0)
p.add_argument('--out', default=None, help='result json (default results/<dataset>_semantic_ids.json)')
p.add_argument('--progress', default='true')
a = p.parse_args()
commit, t0 = git_commit('.'), time.time()
data = load_dataset(a.dataset)
run_dir = Path(a.run_dir or f'runs/{a.dataset}/semantic_ids')
cached = (run_dir/'semantic_ids.json').exists()
if a.source == 'random':
    if a.run_dir is None: p.error('--source random needs its own --run_dir (not the default folder of the real IDs)')
    if cached:
        sid = SemanticIDs.load(run_dir, data)
        if sid.report.get('source_kind') != 'random' or sid.config.get('seed') != a.seed:
            p.error(f'{run_dir} holds other semantic IDs ({sid.source}); use another --run_dir')
    else:
        run_dir.mkdir(parents=True, exist_ok=True); sid = random_semantic_ids(data, seed=a.seed); sid.save(run_dir)
else:
    qcfg = RQKMeansConfig(seed=a.seed) if a.quantizer == 'rqkmeans' else RQVAEConfig(steps=a.steps, seed=a.seed)
    sid = build_semantic_ids(data, run_dir, qcfg, source=a.source, progress=a.progress == 'true')
out = a.out or f'results/{a.dataset}_semantic_ids.json'
rec = save_result(out, semantic_ids_result(sid), command_line('scripts/semantic_ids.py'), time.time() - t0,
                  commit=commit, dataset=a.dataset, source=sid.source, rqvae_config=None if a.source == 'random' else sid.config, quantizer=sid.report.get('quantizer', 'rqvae'), run_dir=str(run_dir),
                  levels=sid.report['levels'], loaded_from_cache=cached,
                  note=('loaded from run_dir: wall_seconds is the load, not the build' if cached else 'built in this run'), loss_history=sid.report['loss_history'])
print(rec['metrics'])
