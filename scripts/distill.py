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
    p.add_argument('--device', default='cpu', help="where the default teacher and the student run: 'cpu' or 'cuda' (untested here: the sessions that wrote it had no GPU)")
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
    rep = run_distill(data, run, cfg, users=np.arange(a.n_users) if a.n_users else None, device=a.device)
    print(json.dumps(rep, indent=1, default=str), flush=True)
    if rep['store']['complete']:
        save_result(Path(a.out or Path(a.results)/f'{a.dataset}_distill.json'),
                    dict(teacher_ok_rate=rep['teacher']['ok_rate'], student_valid=rep['student']['valid_best'],
                         student_valid_before=rep['student']['valid_before'], coverage=rep['store']['coverage']),
                    command, time.time() - t0, commit=commit, template=template, template_source=source, config=asdict(cfg), report=rep)
    print(f'done in {time.time() - t0:.0f} s', flush=True)


if __name__ == '__main__':
    main()
