"""scripts/experiments.py end to end on ml-100k with one epoch per run (real data, the real MiniLM embedder, real SASRec
training; the sizes are cut, so the numbers mean nothing): the backbones alone, a --main_variant form, the paper's
form and SASRec trained on (the control) as separate processes, then the main table that pairs them."""
import json, subprocess, sys
import numpy as np
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT/'scripts'/'experiments.py'

def run(cwd, *args, check=True):
    r = subprocess.run([sys.executable, str(SCRIPT), '--dataset', 'ml-100k', '--store', 'history', '--seeds', '0', '--epochs', '1',
                        '--commit', 'test', '--n_boot', '50', *args], cwd=cwd, capture_output=True, text=True,
                       env={**__import__('os').environ, 'OMP_NUM_THREADS': '1'})
    if check: assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    return r

def test_main_variant_pairs_with_the_paper_form(tmp_path):
    run(tmp_path, '--train_only', 'sasrec')
    exp = tmp_path/'runs'/'ml-100k'/'experiments'
    assert (exp/'sasrec_seed0'/'best.pt').exists() and not (tmp_path/'runs'/'ml-100k'/'history_store').exists()  # no store needed
    run(tmp_path, '--train_only', 'main', '--main_variant', 'gated:gated=true')
    run(tmp_path, '--train_only', 'full')
    run(tmp_path, '--train_only', 'sasrec_continued')
    assert json.loads((exp/'sasrec_continued_seed0'/'config.json').read_text())['init_from'] == str(Path('runs/ml-100k/experiments/sasrec_seed0/best.pt'))
    assert json.loads((exp/'scoter_history_gated_seed0'/'config.json').read_text())['fusion_cfg']['gated'] is True
    assert json.loads((exp/'scoter_history_seed0'/'config.json').read_text())['fusion_cfg']['gated'] is False
    run(tmp_path, '--main_variant', 'gated:gated=true', '--what', 'main', 'segments', '--results', 'res')
    r = json.loads((tmp_path/'res'/'ml-100k_main_history_gated.json').read_text())
    assert r['main_variant'] == {'gated': {'gated': True}} and (tmp_path/'res'/'ml-100k_segments_history_gated.json').exists()
    assert r['pairs'][0]['runs']['scoter'].endswith('scoter_history_gated_seed0')
    lift = r['vs_paper_form']['recall@10']
    assert lift['lo'] <= lift['lift'] <= lift['hi']
    test_mean = lambda run, k: float(np.load(exp/run/'test_per_user.npz')[k].mean())  # the run's cached per-user test metric
    for k in ('recall@10', 'ndcg@10'):  # NDCG too: R@10 counts hits of 943 users, and two runs can tie on it (these did once)
        for key, a, b in (('vs_paper_form', 'scoter_history_seed0', 'scoter_history_gated_seed0'),
                          ('vs_continued_sasrec', 'sasrec_continued_seed0', 'scoter_history_gated_seed0')):  # each lift pairs the runs it names
            assert abs(r[key][k]['mean_a'] - test_mean(a, k)) < 1e-9 and abs(r[key][k]['mean_b'] - test_mean(b, k)) < 1e-9, (key, k)
        assert abs(r['metrics']['models']['scoter'][k]['mean'] - test_mean('scoter_history_gated_seed0', k)) < 1e-9
    assert test_mean('scoter_history_seed0', 'ndcg@10') != test_mean('scoter_history_gated_seed0', 'ndcg@10')  # two different models
    assert {'vs_continued_sasrec', 'continued_sasrec'} <= r.keys() and r['vs_continued_sasrec']['ndcg@10']['lo'] <= r['vs_continued_sasrec']['ndcg@10']['hi']
    bad = run(tmp_path, '--main_variant', 'gated:gated=true', '--what', 'ablation', check=False)
    assert bad.returncode != 0 and '--main_variant applies to --what main segments only' in bad.stderr
    bad = run(tmp_path, '--main_variant', 'full:gated=true', '--what', 'main', check=False)
    assert bad.returncode != 0 and 'pick a name other than the ablations' in bad.stderr
