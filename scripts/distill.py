"""Structured distillation on one data set: teacher chains with the GVM template → LoRA student → the student's
K-step chains for every user, embedded into a reasoning store (runs/<dataset>/distill/store).

Resumable: rerun the same command after a kill.

    OMP_NUM_THREADS=2 python scripts/distill.py --dataset ml-100k
"""
import argparse, json, sys, time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--dataset', default='ml-100k')
    p.add_argument('--run-dir', default=None, help='default runs/<dataset>/distill')
    p.add_argument('--template', default=None, help='GVM report with the mined template (default runs/<dataset>/gvm/mine/report.json), or "manual-5"')
    p.add_argument('--n-teacher-users', type=int, default=96)
    p.add_argument('--n-valid-users', type=int, default=16)
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--step-tokens', type=int, default=24)
    p.add_argument('--embed', default='sentence', choices=['sentence', 'hidden'])
    p.add_argument('--n-users', type=int, default=None, help='write the first N users only (default all)')
    p.add_argument('--student-no-repeat-ngram', type=int, default=0, help='n > 0: the student may not repeat a token n-gram of its own chain')
    p.add_argument('--student-dtype', default='auto', choices=('auto', 'bfloat16', 'float32'),
                   help="the student's weights while it writes the store: 'auto' = bfloat16 on a GPU or an AVX-512 CPU, float32 elsewhere")
    p.add_argument('--device', default='cpu', help="where the default teacher and the student run: 'cpu' or 'cuda' (the student's chain pass has run on an H200 through scripts/gpu_store_chains.py; the teacher and the LoRA training on 'cuda' are untested)")
    p.add_argument('--chains', nargs='+', default=None, help='JSONL files (or .jsonl.xz) from scripts/gpu_store_chains.py: answers the student wrote elsewhere, embedded and stored as they are')
    p.add_argument('--results', default=str(ROOT/'results'))
    p.add_argument('--out', default=None, help='result file (default <results>/<dataset>_distill.json)')
    a = p.parse_args(argv)
    from scoter_nb.train import command_line
    command = command_line('scripts/distill.py', argv)

    import numpy as np, torch
    from scoter_nb.data import load_dataset
    from scoter_nb.distill import DistillConfig, run_distill
    from scoter_nb.llm import MANUAL_TEMPLATES
    from scoter_nb.train import save_result, git_commit
    t0, commit = time.time(), git_commit(ROOT)
    data = load_dataset(a.dataset)
    if a.template in MANUAL_TEMPLATES: template, source = MANUAL_TEMPLATES[a.template], a.template
    else:
        tp = Path(a.template or ROOT/'runs'/a.dataset/'gvm'/'mine'/'report.json')
        if not tp.exists(): raise SystemExit(f'{tp} not found: run GVM first (scripts/gvm.py --dataset {a.dataset}) or pass --template manual-5')
        template, source = json.loads(tp.read_text())['template'], str(tp)
    cfg = DistillConfig(template=template, n_teacher_users=a.n_teacher_users, n_valid_users=a.n_valid_users, epochs=a.epochs,
                        step_tokens=a.step_tokens, embed=a.embed, student_no_repeat_ngram=a.student_no_repeat_ngram,
                        student_dtype=a.student_dtype)
    run = Path(a.run_dir or ROOT/'runs'/a.dataset/'distill')
    print(f'torch threads {torch.get_num_threads()}; template {template} from {source}; run folder {run}', flush=True)
    chains, chains_meta = None, None
    if a.chains:
        import lzma
        chains, chains_meta = {}, []
        for path in a.chains:
            meta = None
            for i, line in enumerate((lzma.open if path.endswith('.xz') else open)(path, 'rt').read().splitlines(), 1):
                try: r = json.loads(line)
                except json.JSONDecodeError as e: raise SystemExit(f'{path}, line {i}: not JSON ({e.msg})')
                if 'meta' in r: meta = r['meta']
                elif set(r) == {'user', 'text'} and isinstance(r['user'], int) and 0 <= r['user'] < data.n_users:
                    if r['user'] in chains: raise SystemExit(f"{path}, line {i}: user {r['user']} appears twice in --chains")
                    chains[r['user']] = r['text']
                else: raise SystemExit(f'{path}, line {i}: expected {{"user", "text"}} with a user of {a.dataset}, or {{"meta"}}')
            if meta is None: raise SystemExit(f'{path}: no meta line at the end (the run that wrote it did not finish)')
            conf = Path(a.run_dir or ROOT/'runs'/a.dataset/'distill')/'student'/'config.json'  # the trained student's settings
            if conf.exists():
                from scoter_nb.store import config_hash
                want = f"SmolLM2-135M-Instruct+lora:{config_hash(json.loads(conf.read_text())['distill'])}"
                if meta.get('student') != want: raise SystemExit(f"{path}: written by {meta.get('student')}, but the student in {conf.parent} is {want}")
            chains_meta.append(dict(file=path) | meta)
            print(f"{meta['users_written']} chains from {path} ({meta['device']}, {meta['dtype']}, batch {meta['batch']})", flush=True)
    rep = run_distill(data, run, cfg, users=np.arange(a.n_users) if a.n_users else None, device=a.device, student_answers=chains)
    print(json.dumps(rep, indent=1, default=str), flush=True)
    if rep['store']['complete']:
        save_result(Path(a.out or Path(a.results)/f'{a.dataset}_distill.json'),
                    dict(teacher_ok_rate=rep['teacher']['ok_rate'], student_valid=rep['student']['valid_best'],
                         student_valid_before=rep['student']['valid_before'], coverage=rep['store']['coverage']),
                    command, time.time() - t0, commit=commit, template=template, chains_from=chains_meta, template_source=source, config=asdict(cfg), report=rep)
    print(f'done in {time.time() - t0:.0f} s', flush=True)


if __name__ == '__main__':
    main()
