"""The experiments of chapter 10 at full scale: SASRec vs SCoTER-SASRec over seeds, ablations, order sensitivity,
InfoNCE bounds and user segments; each analysis saved with `save_result` to results/<dataset>_<what>[_history].json.

    OMP_NUM_THREADS=1 python scripts/experiments.py --dataset ml-100k --store history
    OMP_NUM_THREADS=1 python scripts/experiments.py --dataset ml-100k --store runs/ml-100k/distill/store
    OMP_NUM_THREADS=1 python scripts/experiments.py --dataset beauty --store history --main_variant gated:gated=true --what main segments
"""
import argparse, json, time
from dataclasses import asdict
from pathlib import Path
import numpy as np

WHAT = ('main', 'ablation', 'fusion_order', 'mi', 'segments')

def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--dataset', default='ml-100k', help='data set name (scoter_nb.data.load_dataset)')
    p.add_argument('--store', required=True, help="'history' for the LLM-free history-store control, or the folder of a ReasoningStore")
    p.add_argument('--allow_incomplete', action='store_true', help='accept a store whose all-users pass has not finished (missing users are masked and counted)')
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2], help='training seeds (both models share each)')
    p.add_argument('--epochs', type=int, default=200, help='maximum epochs (early stopping on validation NDCG@10)')
    p.add_argument('--what', nargs='+', default=list(WHAT), choices=WHAT, help='analyses to run and save')
    p.add_argument('--run_root', default=None, help='run folders (default runs/<dataset>/experiments)')
    p.add_argument('--results', default='results', help='folder of the result files')
    p.add_argument('--tag', default='', help="suffix of the result file names, e.g. 'rebuild': results/<dataset>_<what>[_history]_rebuild.json "
                                              "(for a second set of runs whose files must not replace the first set's)")
    p.add_argument('--variant', action='append', default=[], metavar='NAME:FIELD=VALUE[,FIELD=VALUE]',
                   help="extra fusion variant for the ablation table, e.g. 'gated:gated=true' (values parsed as JSON)")
    p.add_argument('--main_variant', default=None, metavar='NAME:FIELD=VALUE[,FIELD=VALUE]',
                   help="the fusion form of the main table's SCoTER (and of --what segments), e.g. 'gated:gated=true': its runs are "
                        "<run_root>/scoter_<store>_NAME_seed<s>, its files carry NAME in their tag (default: the paper's form, FusionConfig())")
    p.add_argument('--n_boot', type=int, default=2000, help='bootstrap resamples')
    p.add_argument('--mi_batch', type=int, default=128, help='batch size N of the InfoNCE bound')
    p.add_argument('--mi_rounds', type=int, default=10, help='random partitions of the users into batches for the InfoNCE estimate')
    p.add_argument('--mi_boot', type=int, default=1000, help='user resamples for the InfoNCE CIs')
    p.add_argument('--commit', default=None, help='commit to record (default: the checkout\'s commit at the start; for copies without .git)')
    p.add_argument('--order_shuffles', type=int, default=3, help='random step orders per user for the TV / rho curve')
    p.add_argument('--train_only', default=None, metavar='VARIANT',
                   help="train (or finish) this variant's fusion runs for --seeds and stop, with no analysis: 'full', 'w/o position', "
                        "'w/o contrastive', 'w/o step-wise' or a --variant name; 'main' (the --main_variant form); 'sasrec' (the backbone runs "
                        "alone); or 'sasrec_continued' (SASRec trained on from its best weights with the same loop: the control of the "
                        "fine-tuned SCoTER, paired with it in the main table when its runs exist). The SASRec runs must be finished before any fusion run starts. For running variants and seeds in parallel processes; a later call without it reuses the runs.")
    return p.parse_args(argv)

def parse_variants(specs:list[str]) -> dict:
    "'name:field=value,field=value' -> {name: {field: value}} (values as JSON: true, 0.5, ...)."
    out = {}
    for spec in specs:
        name, sep, body = spec.partition(':')
        if not sep or not name or not body: raise SystemExit(f'--variant {spec!r}: expected NAME:FIELD=VALUE[,FIELD=VALUE]')
        kw = {}
        for item in body.split(','):
            k, eq, v = item.partition('=')
            if not eq: raise SystemExit(f'--variant {spec!r}: {item!r} is not FIELD=VALUE')
            try: kw[k.strip()] = json.loads(v)
            except json.JSONDecodeError: raise SystemExit(f'--variant {spec!r}: value {v!r} of {k!r} is not JSON (use true/false, numbers, "text")')
        out[name] = kw
    return out

def main(argv=None):
    a = parse_args(argv)
    from scoter_nb.train import command_line
    command = command_line('scripts/experiments.py', argv)
    from scoter_nb.data import load_dataset
    from scoter_nb.store import ReasoningStore, open_history_store
    from scoter_nb.train import TrainConfig, save_result, git_commit
    from scoter_nb.backbones.sasrec import SASRecConfig, recommended_config
    from scoter_nb.order import rho_curve
    from scoter_nb import experiments as ex
    from scoter_nb.fusion import FusionConfig
    commit = a.commit or git_commit('.')
    data = load_dataset(a.dataset)
    if a.train_only in ('sasrec', 'sasrec_continued'): label, store = 'none', None  # the backbone alone needs no store
    elif a.store == 'history': label, store = 'history', open_history_store(data, Path('runs')/a.dataset/'history_store')  # resumes a cut build
    else: label, store = 'distilled', ReasoningStore(Path(a.store), data, allow_incomplete=a.allow_incomplete)
    if store is not None: print(store, store.coverage, flush=True)
    rm, rt = recommended_config(a.dataset)
    mcfg, tcfg = SASRecConfig(**rm), TrainConfig(**rt | dict(epochs=a.epochs, progress=False))
    run_root = Path(a.run_root or Path('runs')/a.dataset/'experiments')
    name = f'scoter_{label}'
    mv = parse_variants([a.main_variant]) if a.main_variant else {}
    mv_name, mv_cfg = next(iter(mv.items())) if mv else ('', {})
    if mv_name in ex.ABLATIONS: raise SystemExit(f'--main_variant {a.main_variant!r}: pick a name other than the ablations {sorted(ex.ABLATIONS)}')
    main_name = f'{name}_{mv_name}' if mv_name else name
    tag = '_'.join(x for x in (mv_name, a.tag) if x)
    if a.train_only: return train_only(a, data, store, run_root, name, mcfg, tcfg, {'main': mv_cfg} if mv_name else {'main': {}}, main_name)
    common = dict(command=command, dataset=a.dataset, store=ex.store_record(store), seeds=a.seeds,
                  model_cfg=asdict(mcfg), train_cfg=asdict(tcfg), init='SCoTER starts from the trained SASRec of the same seed',
                  **(dict(main_variant={mv_name: mv_cfg}) if mv_name else {}))
    def save(what, metrics, t0, **kw):
        path = ex.result_path(a.dataset, what, '_'.join(x for x in (label if label == 'history' else '', tag) if x), a.results)
        save_result(path, metrics, seconds=time.time() - t0, commit=commit, **common, **kw); print('wrote', path, flush=True)
    t0 = time.time()
    need_abl = {'ablation', 'fusion_order', 'mi'} & set(a.what)
    if need_abl and mv_name: raise SystemExit('--main_variant applies to --what main segments only (the ablation table compares with the paper\'s form)')
    summary, pairs = ex.main_table(data, store, a.seeds, run_root, mcfg, tcfg, FusionConfig(**mv_cfg), name=main_name, n_boot=a.n_boot)
    runs = dict(pairs=[dict(seed=p['seed'], runs=p['runs'], best_epoch=p['best_epoch'], valid=p['valid'], train_seconds=p['train_seconds']) for p in pairs],
                train_seconds_total=round(sum(sum(p['train_seconds'].values()) for p in pairs), 1))  # wall_seconds covers this call only (runs are reused)
    if 'main' in a.what:
        ctrl = {}  # the distilled store against the history-store control of the same seeds, paired per user, when those runs exist
        hist_name = main_name.replace(name, 'scoter_history', 1)  # the control in the same fusion form
        if label == 'distilled' and all((run_root/f'{hist_name}_seed{s}'/'test_per_user.npz').exists() for s in a.seeds):
            cp = ex.cached_pairs(run_root, hist_name, a.seeds)
            vs = [dict(seed=c['seed'], sasrec=c['scoter'], scoter=p['scoter']) for c, p in zip(cp, pairs)]
            ctrl = dict(vs_history_control=ex.summarise_pairs(vs, n_boot=a.n_boot)['lift'])
        if mv_name and all((run_root/f'{name}_seed{s}'/'test_per_user.npz').exists() for s in a.seeds):
            fp = ex.cached_pairs(run_root, name, a.seeds)  # the paper's form, same store and SASRec starts, when its runs exist
            vs = [dict(seed=f['seed'], sasrec=f['scoter'], scoter=p['scoter']) for f, p in zip(fp, pairs)]
            ctrl['vs_paper_form'] = ex.summarise_pairs(vs, n_boot=a.n_boot)['lift']
        if all((run_root/f'sasrec_continued_seed{s}'/'test_per_user.npz').exists() for s in a.seeds):
            cs = ex.cached_pairs(run_root, 'sasrec_continued', a.seeds)  # SASRec trained on alone from the same weights, same loop
            ctrl['continued_sasrec'] = ex.summarise_pairs(cs, n_boot=a.n_boot)  # continued vs SASRec
            vs = [dict(seed=c['seed'], sasrec=c['scoter'], scoter=p['scoter']) for c, p in zip(cs, pairs)]
            ctrl['vs_continued_sasrec'] = ex.summarise_pairs(vs, n_boot=a.n_boot)['lift']
        save('main', summary, t0, store_text_stats=ex.store_text_stats(store, data), **runs, **ctrl)
    if 'segments' in a.what:
        t1 = time.time(); save('segments', ex.segment_lifts(pairs, data, n_boot=a.n_boot), t1)
    if need_abl:
        t1 = time.time()
        abl, abl_runs = ex.ablation_table(data, store, a.seeds, run_root, mcfg, tcfg, name=name, n_boot=a.n_boot,
                                          variants=ex.ABLATIONS | parse_variants(a.variant))
        if 'ablation' in a.what:
            save('ablation', abl, t1, runs={v: [p['runs']['scoter'] for p in ps] for v, ps in abl_runs.items()},
                 train_seconds={v: [p['train_seconds']['scoter'] for p in ps] for v, ps in abl_runs.items()})
        if 'fusion_order' in a.what:
            t1 = time.time(); tv = {}
            for v, key in (('with positions', 'full'), ('w/o position', 'w/o position')):
                tv[v] = {str(p['seed']): ex.fusion_order_tv(p['model'], data, n_shuffles=a.order_shuffles, seed=p['seed'])[0] for p in abl_runs[key]}
            allv = {v: np.concatenate(list(d.values())) for v, d in tv.items()}
            effect = np.concatenate([ex.fusion_effect_tv(p['model'], data, np.flatnonzero(np.asarray(store.mask).all(1))) for p in abl_runs['full']])
            deltas = np.linspace(0, max(1e-9, float(np.quantile(allv['with positions'], 0.99))), 41)  # the TV scale of this model
            metrics = dict(tv_mean={v: float(x.mean()) for v, x in allv.items()}, tv_median={v: float(np.median(x)) for v, x in allv.items()},
                           tv_max={v: float(x.max()) for v, x in allv.items()}, tv_steps_vs_none_mean=float(effect.mean()),
                           tv_steps_vs_none_median=float(np.median(effect)), n_users_per_seed=len(next(iter(tv['with positions'].values()))) // a.order_shuffles,
                           curves={v: rho_curve(x, deltas, n_boot=a.n_boot).to_dict('list') for v, x in allv.items()},
                           tv_mean_per_seed={v: {s: float(x.mean()) for s, x in d.items()} for v, d in tv.items()})
            save('fusion_order', metrics, t1, split='test', n_shuffles=a.order_shuffles,
                 tv={v: {s: [round(float(y), 6) for y in x] for s, x in d.items()} for v, d in tv.items()})
        if 'mi' in a.what:
            t1 = time.time()
            per_seed = [ex.mi_bounds(f['model'], data, p['model'], f['sasrec_model'], N=a.mi_batch, n_rounds=a.mi_rounds, n_boot=a.mi_boot, seed=f['seed'])
                        for f, p in zip(abl_runs['full'], abl_runs['w/o step-wise'])]
            mi = ex.combine_mi(per_seed)
            for grp in [*mi['bounds'].values(), mi['diffs']]:
                for v in grp.values(): v.pop('boot')  # the replicates stay out of the file; mean, CI and per-seed values stay
            save('mi', mi, t1)

def train_only(a, data, store, run_root, name, mcfg, tcfg, main_variant, main_name):
    "Train one variant's fusion runs (reading, never writing, the finished SASRec runs they start from), or the SASRec runs."
    from dataclasses import replace
    from scoter_nb import experiments as ex
    from scoter_nb.fusion import FusionConfig, train_fusion
    from scoter_nb.backbones.sasrec import train_sasrec
    if a.train_only == 'sasrec':
        for s in a.seeds:
            t0 = time.time(); model, res = train_sasrec(data, run_root/f'sasrec_seed{s}', mcfg, replace(tcfg, seed=s))
            print(f"{res.run_dir}: best epoch {res.best_epoch}, valid {res.best} ({time.time() - t0:.0f} s)", flush=True)
        return
    if a.train_only == 'sasrec_continued':  # the control of a fine-tuned SCoTER: SASRec trained on from its best weights, no reasoning
        for s in a.seeds:
            base = run_root/f'sasrec_seed{s}'
            if not (base/'result.json').exists(): raise SystemExit(f'{base}: no finished SASRec run (run --train_only sasrec first)')
            t0 = time.time()
            model, res = train_sasrec(data, run_root/f'sasrec_continued_seed{s}', mcfg, replace(tcfg, seed=s), init_from=base/'best.pt')
            m = ex.per_user_test_metrics(model, res, data, mcfg.max_len)
            print(f"{res.run_dir}: best epoch {res.best_epoch}, test R@10 {m['recall@10'].mean():.4f} N@10 {m['ndcg@10'].mean():.4f} "
                  f"({time.time() - t0:.0f} s)", flush=True)
        return
    variants = ex.ABLATIONS | parse_variants(a.variant) | main_variant
    if a.train_only not in variants: raise SystemExit(f"--train_only {a.train_only!r}: not one of {sorted(variants) + ['sasrec', 'sasrec_continued']}")
    for s in a.seeds:
        base = run_root/f'sasrec_seed{s}'
        if not (base/'result.json').exists() or not (base/'best.pt').exists():
            raise SystemExit(f'{base}: no finished SASRec run (run this command without --train_only first)')
        run_dir = run_root/(f'{main_name}_seed{s}' if a.train_only == 'main' else f"{name}{ex.SUFFIX.get(a.train_only, '_' + a.train_only)}_seed{s}")
        t0 = time.time()
        model, res = train_fusion(data, store, run_dir, mcfg, replace(tcfg, seed=s), FusionConfig(**variants[a.train_only]),
                                  init_backbone=base/'best.pt')
        m = ex.per_user_test_metrics(model, res, data, mcfg.max_len)
        print(f"{run_dir}: best epoch {res.best_epoch}, test R@10 {m['recall@10'].mean():.4f} N@10 {m['ndcg@10'].mean():.4f} "
              f"({time.time() - t0:.0f} s)", flush=True)

if __name__ == '__main__': main()
