#!/usr/bin/env python3
"""Speed benchmark: wall time for our SASRec and RecBole 1.2.1's SASRec to reach the same validation NDCG@10.

Both run back to back in this one invocation, on the same split of the same data, with the same torch thread count:
1. RecBole's SASRec (CE loss, full ranking, MAX_ITEM_LIST_LENGTH 50, RecBole's default hyper-parameters) trains for
   `--recbole-epochs` epochs through benchmarks/recbole_sasrec.py (its own venv; see benchmarks/RECBOLE.md);
   the target is its validation NDCG@10 after the last epoch.
2. Our SASRec (scoter_nb; the same architecture: 2 layers, 2 heads, d=64, d_ff=256, dropout 0.5) trains with our
   default recipe (AdamW lr 2e-3, 256 users per batch, loss at every position, length-bucketed batches) and is
   evaluated after every epoch.
Each system's time-to-target is its cumulative wall time (training + validation) at the first epoch whose validation
NDCG@10 reaches the target. Writes results/<dataset>_sasrec_speed.json.

    python benchmarks/sasrec_vs_recbole.py --dataset beauty
"""
import argparse, json, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--dataset', default='beauty')
    ap.add_argument('--recbole-epochs', type=int, default=5)
    ap.add_argument('--max-epochs', type=int, default=10, help='cap on our epochs while looking for the target')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--recbole-json', default=None, help='reuse a RecBole result instead of running it (not a one-run ratio)')
    ap.add_argument('--out', default=None)
    a = ap.parse_args()
    import torch
    torch.set_num_threads(a.threads)
    from scoter_nb.data import load_dataset
    from scoter_nb.backbones.sasrec import SASRecConfig, train_sasrec
    from scoter_nb.train import TrainConfig, save_result, git_commit
    t_start, commit = time.perf_counter(), git_commit(ROOT)

    rb_json = Path(a.recbole_json) if a.recbole_json else ROOT/'runs'/'recbole'/f'{a.dataset}_speed_recbole.json'
    if not a.recbole_json:
        cmd = [sys.executable, str(ROOT/'benchmarks'/'recbole_sasrec.py'), '--dataset', a.dataset, '--epochs', str(a.recbole_epochs),
               '--threads', str(a.threads), '--out', str(rb_json)]
        print('+', ' '.join(cmd), flush=True); subprocess.run(cmd, check=True, cwd=ROOT)
    rb = json.loads(rb_json.read_text())
    curve = rb['curve']  # benchmarks/recbole_sasrec.py format
    target, t_rb = rb['target']['value'], rb['target']['time_to_target_s']
    print(f'RecBole: validation NDCG@10 {target:.4f} after {len(curve)} epochs, reached at {t_rb:.1f} s', flush=True)

    data = load_dataset(a.dataset)
    run = ROOT/'runs'/a.dataset/'sasrec-speed'
    mcfg = SASRecConfig()  # RecBole's SASRec defaults: 2 layers, 2 heads, 64, 256, dropout 0.5
    tcfg = TrainConfig(epochs=a.max_epochs, lr=2e-3, batch_size=256, eval_every=1, patience=a.max_epochs, progress=False)
    _, res = train_sasrec(data, run, mcfg, tcfg, resume=False)
    hit = next((h for h in res.history if h['valid_ndcg@10'] >= target), None)
    t_ours = hit['elapsed_seconds'] if hit else None
    speedup = t_rb / t_ours if t_ours else None
    print('ours: ' + (f'reached {target:.4f} at epoch {hit["epoch"]}, {t_ours:.1f} s -> {speedup:.1f}x faster' if hit
                       else f'did not reach {target:.4f} in {a.max_epochs} epochs'), flush=True)
    out = Path(a.out or ROOT/'results'/f'{a.dataset}_sasrec_speed.json')
    save_result(out, dict(target_valid_ndcg10=target, recbole_seconds=t_rb, ours_seconds=t_ours, speedup=speedup,
                          ours_epoch=hit['epoch'] if hit else None, recbole_epochs=len(curve)),
                command='python benchmarks/sasrec_vs_recbole.py ' + ' '.join(sys.argv[1:]), seconds=time.perf_counter() - t_start,
                commit=commit, dataset=a.dataset, threads=a.threads, recbole_result=str(rb_json.relative_to(ROOT)) if rb_json.is_relative_to(ROOT) else str(rb_json),
                recbole_curve=curve, ours_curve=res.history, ours_model_cfg=mcfg.__dict__, ours_train_cfg=tcfg.__dict__)
    print(f'wrote {out}')

if __name__ == '__main__':
    main()
