"""The distilled student's chains for the users a reasoning store still lacks, written on a GPU (or, slowly, on the CPU);
`scripts/distill.py --chains` then embeds and stores them on the machine that holds the store (the embedder and the
store stay there).

    python scripts/gpu_store_chains.py --dataset beauty --done runs/beauty/distill/store/done.npy --batch 512 --minutes 5 --out chains.jsonl

On the CPU the pass is done in parts that each end in time (2.2 users/s on 2 AVX2 cores, batch 128 or 512), each part
skipping the users of the parts before it:

    OMP_NUM_THREADS=2 python scripts/gpu_store_chains.py --device cpu --batch 128 --minutes 45 --out part2.jsonl --skip part1.jsonl.xz

or as two one-thread processes, `--shard 0/2` and `--shard 1/2`, each with the same --skip files.

Loads the student exactly as `scripts/distill.py` does (base model + the LoRA adapter in <run-dir>/student/adapter, the
settings in <run-dir>/distill_config.json), casts it to --dtype (default float32: the dtype the store records, which a
store refuses to mix), orders the users as the store pass does (`student_order`) and writes one line per user,
{"user": u, "text": answer}, flushed after each batch of `student_chain_texts`. It starts no batch after --minutes, and
ends with a line {"meta": ...}: device, dtype, batch, seconds, users written.
"""
import argparse, json, sys, time
from dataclasses import fields
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def skipped_users(paths, # chains files written by this script
                  student:str, # the loaded student's name: each file must have been written by it
                  n_users:int, # users in the data set
                 ) -> set:
    "The users of finished chains files (each must end in its meta line), checked against the student and the data set."
    import lzma
    seen = set()
    for path in paths:
        meta = None
        for i, line in enumerate((lzma.open if str(path).endswith('.xz') else open)(path, 'rt'), 1):
            try: r = json.loads(line)
            except json.JSONDecodeError as e: raise SystemExit(f'{path}, line {i}: not JSON ({e.msg})')
            if 'meta' in r: meta = r['meta']; continue
            if not (isinstance(r.get('user'), int) and 0 <= r['user'] < n_users): raise SystemExit(f'{path}, line {i}: no user of this data set')
            if r['user'] in seen: raise SystemExit(f"{path}, line {i}: user {r['user']} is in an earlier file too")
            seen.add(r['user'])
        if meta is None: raise SystemExit(f'{path}: no meta line at the end (the run that wrote it did not finish)')
        if meta.get('student') != student: raise SystemExit(f"{path}: written by {meta.get('student')}, not by the loaded student {student}")
    return seen


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--dataset', default='beauty')
    p.add_argument('--run-dir', default=None, help='default runs/<dataset>/distill (needs distill_config.json and student/adapter)')
    p.add_argument('--done', default=None, help="a store's done.npy: users already written are skipped (default: write all users)")
    p.add_argument('--skip', nargs='+', default=[], help='chains files (.jsonl or .jsonl.xz) written earlier by this script for the same student: their users are skipped')
    p.add_argument('--shard', default='0/1', help="i/n: write every n-th user (from the i-th) of the ordered users still to do, so that n processes (one thread each on a CPU) share the pass without overlap")
    p.add_argument('--batch', type=int, default=512, help='users per generation batch')
    p.add_argument('--device', default='cuda')
    p.add_argument('--dtype', default='float32', choices=('float32', 'bfloat16'))
    p.add_argument('--minutes', type=float, default=5.0, help='start no batch after this many minutes')
    p.add_argument('--out', required=True)
    a = p.parse_args(argv)
    try: shard, n_shards = map(int, a.shard.split('/')); assert 0 <= shard < n_shards
    except (ValueError, AssertionError): raise SystemExit(f'--shard {a.shard}: expected i/n with 0 <= i < n')
    import numpy as np, torch
    from tqdm.auto import tqdm
    from scoter_nb.data import load_dataset
    from scoter_nb.distill import DistillConfig, load_student, student_order, student_chain_texts
    t0 = time.time()
    data = load_dataset(a.dataset)
    run = Path(a.run_dir or ROOT/'runs'/a.dataset/'distill')
    conf = json.loads((run/'distill_config.json').read_text())
    if conf.get('dataset') != data.name: raise SystemExit(f"{run/'distill_config.json'} is for {conf.get('dataset')}, not {data.name}")
    cfg = DistillConfig(**{f.name: conf[f.name] for f in fields(DistillConfig) if f.name in conf})
    cfg.student_dtype = a.dtype
    todo = np.arange(data.n_users)
    if a.done:
        done = np.load(a.done)
        if done.shape != (data.n_users,): raise SystemExit(f'{a.done}: {done.shape[0]} users, the data set has {data.n_users}')
        todo = np.flatnonzero(~done)
    student = load_student(run/'student'/'adapter', None, a.batch, a.device)
    if a.skip:
        seen = skipped_users(a.skip, student.name, data.n_users)
        print(f'skipping {len(seen)} users already written in {len(a.skip)} file(s)', flush=True)
        todo = np.setdiff1d(todo, np.fromiter(seen, int, len(seen)))
    student.model.to(getattr(torch, a.dtype))
    t_load = time.time() - t0
    todo = student_order(data, cfg, todo)
    todo = todo[shard::n_shards]
    batches = np.array_split(todo, max(1, -(-len(todo) // a.batch)))
    n, secs = 0, []
    with open(a.out, 'w') as f:
        for b in tqdm(batches, desc='student chains', mininterval=10):
            if time.time() - t0 > a.minutes * 60: break
            t = time.time()
            for u, text in zip(b.tolist(), student_chain_texts(data, student, cfg, b)): f.write(json.dumps(dict(user=u, text=text)) + '\n')
            f.flush(); n += len(b); secs.append(round(time.time() - t, 2))
        meta = dict(student=student.name, device=torch.cuda.get_device_name() if a.device.startswith('cuda') else a.device,
                    torch=torch.__version__, threads=torch.get_num_threads(), dtype=a.dtype, batch=a.batch, shard=a.shard, users_todo=int(len(todo)), users_written=n,
                    seconds_load=round(t_load, 1), seconds_per_batch=secs, seconds=round(time.time() - t0, 1), argv=sys.argv[1:])
        f.write(json.dumps(dict(meta=meta)) + '\n')
    print(json.dumps(meta), flush=True)


if __name__ == '__main__':
    main()
