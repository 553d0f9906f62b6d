"""Accuracy of ``etom-kg map`` on the labelled set bench/mapping_eval_set.csv.

    python bench/mapping_eval.py [--split dev|test|all] [--errors]

Top-1 / top-3: the expected level-2 element is the first / among the first
three suggestions (a level-3 suggestion counts as its level-2 parent), over the
in-scope rows. Out-of-scope separation: how the best scores of out-of-scope rows
compare with in-scope ones (ROC AUC; share flagged "low" = no good match).
Settings are chosen on the dev split only; the README reports the test split.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def load_set(split: str):
    name = "mapping_holdout_set.csv" if split == "holdout" else "mapping_eval_set.csv"
    with open(HERE / name, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return [r for r in rows if split in ("all", "holdout") or r["split"] == split]


def auc(positive, negative) -> float:
    """Probability that an in-scope row scores above an out-of-scope one (ties count half)."""
    if not positive or not negative:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def evaluate(rows, matcher, *, errors=False, semantic=None):
    from etom_kg.mapping.results import band

    stats = {}
    pos, neg = [], []
    for lang in ("ru", "en", "all"):
        stats[lang] = [0, 0, 0]
    texts = [" ".join(x for x in (r["name"], r["description"]) if x) for r in rows]
    sims = semantic.rows(texts) if semantic else [None] * len(rows)
    for r, text, sim in zip(rows, texts, sims):
        sugg = matcher.suggest(text, 3, sim)
        ids = [s.parent_id or s.id for s in sugg]
        best = sugg[0].score if sugg else 0.0
        if r["expected"] == "none":
            neg.append(best)
            if errors and band(best) != "low":
                print(f"  OOS {best:.2f} {ids[:1]} {text}")
            continue
        pos.append(best)
        for lang in (r["lang"], "all"):
            stats[lang][0] += 1
            stats[lang][1] += bool(ids[:1] == [r["expected"]])
            stats[lang][2] += r["expected"] in ids
        if errors and ids[:1] != [r["expected"]]:
            print(f"  MISS {r['expected']:>8} got {ids} {best:.2f} {text}")
    return stats, pos, neg


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test", "all", "holdout"), default="test",
                    help="dev: choose settings; test: report; holdout: a second set written "
                         "after the vocabulary was frozen, in other wording")
    ap.add_argument("--errors", action="store_true", help="list the misses")
    ap.add_argument("--semantic", action="store_true",
                    help="blend in the sentence encoder (needs etom-kg[semantic])")
    ap.add_argument("--weight", type=float, help="semantic weight (default: the shipped one)")
    ap.add_argument("--levels", type=int, choices=(2, 3), default=3,
                    help="3: the shipped graph with its level-3 module (default); 2: without")
    args = ap.parse_args(argv)
    import etom_kg
    from etom_kg.mapping.rank import Matcher
    from etom_kg.mapping.results import HIGH, LOW

    matcher = Matcher(etom_kg.load(levels=args.levels))
    rows = load_set(args.split)
    scorer = None
    if args.semantic:
        from etom_kg.mapping import semantic

        if args.weight is not None:
            semantic.WEIGHT = args.weight
        scorer = semantic.SemanticScorer(matcher)
        print(f"semantic weight {semantic.WEIGHT}")
    stats, pos, neg = evaluate(rows, matcher, errors=args.errors, semantic=scorer)
    print(f"split {args.split}: {len(rows)} rows, {len(pos)} in scope, {len(neg)} out of scope")
    for lang, (n, t1, t3) in stats.items():
        if n:
            print(f"  {lang:>3}: top-1 {t1 / n:6.1%} ({t1}/{n})  top-3 {t3 / n:6.1%} ({t3}/{n})")
    low_neg = sum(s < LOW for s in neg)
    low_pos = sum(s < LOW for s in pos)
    print(f"  out of scope: AUC {auc(pos, neg):.3f}; flagged low (< {LOW}): "
          f"{low_neg}/{len(neg)} out-of-scope, {low_pos}/{len(pos)} in-scope; "
          f"high (>= {HIGH}): {sum(s >= HIGH for s in neg)} out-of-scope, "
          f"{sum(s >= HIGH for s in pos)} in-scope")
    if pos and neg:
        print(f"  best score median: in scope {sorted(pos)[len(pos) // 2]:.2f}, "
              f"out of scope {sorted(neg)[len(neg) // 2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
