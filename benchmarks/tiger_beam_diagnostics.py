"""Where does TIGER's beam search lose the target, and would a wider beam find it? Test split of one checkpoint.

    OMP_NUM_THREADS=1 python benchmarks/tiger_beam_diagnostics.py --sid_dir artifacts/beauty/semantic_ids_collab \
        --result results/beauty_tiger_cpu_softmax_codes_s42.json --checkpoint last --beams 20 50 \
        --out results/beauty_tiger_beams_codes_s42.json

`--result` is a result file of scripts/tiger_beauty.py: its run folder's best.pt (or, with `--checkpoint last`, its
last.pt: the last round, no selection on validation) and its model settings are used. For every test user (or every
`--every`-th one) the constrained search runs level by level with the same calls as `Tiger.beam_search` (checked to
give the same lists) and records whether the target item's code prefix is still among the beams after each level (the
top 1, the top 10 and all of them). Then the whole search is repeated with wider beams, to see whether recall is lost
to pruning (a wider beam finds the target) or to the model's scores (it does not).
"""
import argparse, json, time
from pathlib import Path
import numpy as np, torch
from scoter_nb.data import load_dataset, eval_batch
from scoter_nb.semantic_ids import SemanticIDs
from scoter_nb.backbones.tiger import Tiger, TigerConfig, _cross_kv, _decode_last
from scoter_nb.metrics import ranks_from_lists, metrics_from_ranks, mean_metrics
from scoter_nb.train import command_line, git_commit, save_result

p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
p.add_argument('--sid_dir', required=True, help='the semantic IDs the checkpoint was trained on')
p.add_argument('--result', required=True, help='result file of scripts/tiger_beauty.py (its run_dir holds best.pt)')
p.add_argument('--beams', type=int, nargs='+', default=[20, 100], help='beam sizes to compare (the first is traced level by level)')
p.add_argument('--every', type=int, default=1, help='every n-th test user (1: all)')
p.add_argument('--checkpoint', default='best', choices=['best', 'last'], help="the run's best.pt (best validation round) or last.pt (its last round)")
p.add_argument('--out', required=True)
a = p.parse_args()

t0 = time.time(); r = json.loads(Path(a.result).read_text())
data = load_dataset(r['dataset']); sid = SemanticIDs.load(a.sid_dir, data)
m = Tiger(sid.codes, sid.n_codes, TigerConfig(**r['model_cfg']))
ck = Path(r['run_dir'])/f'{a.checkpoint}.pt'
state = torch.load(ck, map_location='cpu', weights_only=False)
rounds = state['state']['epoch'] if a.checkpoint == 'last' else r['best_round']
m.load_state_dict(state['model'] if a.checkpoint == 'last' else state); m.eval()  # refuses other semantic IDs
bf16 = r['train_cfg']['mixed_precision'] == 'bf16'
users = np.arange(0, data.n_users, a.every)
hist, target = eval_batch(data, 'test', max_len=m.cfg.max_hist, users=users); user = torch.as_tensor(users)
codes = torch.as_tensor(sid.codes)

W = a.beams[0]; tops = (1, 10, W); surv = np.zeros((m.n_levels, len(tops)))
with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16):
    for i in range(0, len(hist), 256):
        s, mask = m.encode(hist[i:i + 256], user=user[i:i + 256]); tg = codes[target[i:i + 256]]
        B = len(s); kv = _cross_kv(m, s)
        enc_bias = torch.zeros(mask.shape, dtype=s.dtype).masked_fill(~mask, torch.finfo(s.dtype).min)[:, None, None, :]
        prefix = torch.zeros(B, 1, 1, dtype=torch.long); pid = torch.zeros(B, 1, dtype=torch.long); score = torch.zeros(B, 1)
        path = torch.zeros(B, 1, 0, dtype=torch.long)
        for l in range(m.n_levels):  # the steps of Tiger.beam_search (norm='level'), keeping each beam's code path
            allowed, child = m.tables.allowed[l], m.tables.child[l]
            h = _decode_last(m, prefix, kv, enc_bias); ok = allowed[pid]
            logp = m.code_logits(h, level=l).float().masked_fill(~ok, -torch.inf).log_softmax(-1)
            score, idx = (score[..., None] + logp).view(B, -1).topk(W, dim=1)
            beam, code = idx // m.n_codes, idx % m.n_codes
            pid = child[pid.gather(1, beam), code]
            path = torch.cat([path.gather(1, beam[..., None].expand(-1, -1, path.shape[2])), code[..., None]], 2)
            prefix = torch.cat([prefix.gather(1, beam[..., None].expand(-1, -1, prefix.shape[2])),
                                (m.vocab.FIRST_CODE + l * m.n_codes + code)[..., None]], 2)
            hit = (path == tg[:, None, :l + 1]).all(-1)
            for j, K in enumerate(tops): surv[l, j] += hit[:, :K].any(1).sum().item()
        assert torch.equal(m.beam_search(s, mask, 20, beam_size=W), pid[:, :20]), 'the traced search differs from Tiger.beam_search'
survival = {f'level_{l + 1}': {f'top_{K}': surv[l, j] / len(users) for j, K in enumerate(tops)} for l in range(m.n_levels)}
print(f'{len(users)} test users: share whose target prefix is among the top 1 / 10 / {W} beams after each level')
for k, v in survival.items(): print(k, ' / '.join(f'{x:.4f}' for x in v.values()))

by_beam, secs = {}, {}
for w in a.beams:
    t = time.time()
    with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16):
        lists = torch.cat([m.beam_search(*m.encode(hist[i:i + 256], user=user[i:i + 256]), 20, beam_size=w) for i in range(0, len(hist), 256)])
    by_beam[f'beam_{w}'] = mean_metrics(metrics_from_ranks(ranks_from_lists(lists, target), (5, 10, 20)))
    secs[f'beam_{w}'] = round(time.time() - t, 1)
    print(f'beam {w}:', {k: round(v, 4) for k, v in by_beam[f'beam_{w}'].items()}, f'{secs[f"beam_{w}"]}s', flush=True)
save_result(a.out, dict(by_beam=by_beam, target_prefix_survival=survival), command_line('benchmarks/tiger_beam_diagnostics.py'),
            time.time() - t0, commit=git_commit('.'), checkpoint=str(ck), checkpoint_round=rounds, result=a.result,
            test_users=len(users), traced_beam=W, decode_seconds=secs, model_cfg=r['model_cfg'],
            note='survival: share of test users whose target item\'s code prefix of length l is among the top-1 / top-10 / '
                 'all beams after level l of the constrained search (normalised over valid children, as Tiger.beam_search)')
