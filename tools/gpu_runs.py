"""Shrink finished run folders for the trip back from the lent GPU, and restore them here.

    python tools/gpu_runs.py strip   runs/beauty/experiments 'scoter_distilled*'   # on the GPU machine
    python tools/gpu_runs.py restore runs/beauty/experiments 'scoter_distilled*'   # here, after unpacking

`strip`: in every finished run (result.json present) last.pt becomes last_meta.pt: the loop state (epoch, best, patience
counter, scheduler, RNG, optimizer hyper-parameters) without the weights and the optimizer moments. An unfinished run
keeps its whole last.pt, so it can be resumed.
`restore`: rebuilds last.pt from last_meta.pt with the weights of best.pt. The loop of a finished run never trains
again (its patience is used up), so `fit` only reads the loop state from it and then loads best.pt; the weights of the
last epoch are not kept.
"""
import sys
from pathlib import Path
import torch

def strip(root, pattern):
    for d in sorted(Path(root).glob(pattern)):
        last = d/'last.pt'
        if not (d/'result.json').exists() or not last.exists(): print(d.name, 'unfinished: last.pt kept'); continue
        ck = torch.load(last, map_location='cpu', weights_only=False)
        ck.pop('model'); ck['opt']['state'] = {}
        torch.save(ck, d/'last_meta.pt'); last.unlink(); print(d.name, 'stripped')

def restore(root, pattern):
    for d in sorted(Path(root).glob(pattern)):
        meta = d/'last_meta.pt'
        if not meta.exists(): continue
        if not (d/'best.pt').exists(): sys.exit(f'{d}: last_meta.pt without best.pt')
        ck = torch.load(meta, map_location='cpu', weights_only=False)
        ck['model'] = torch.load(d/'best.pt', map_location='cpu')
        torch.save(ck, d/'last.pt'); meta.unlink(); print(d.name, 'restored')

if __name__ == '__main__':
    cmd, root, pattern = sys.argv[1:4]
    {'strip': strip, 'restore': restore}[cmd](root, pattern)
