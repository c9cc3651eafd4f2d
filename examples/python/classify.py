"""Opinion or news? A logistic regression on `rhetor features`.

Runs `rhetor features` on the editorials and the news articles of the project corpus
(../shared/corpus/editorials-dev.jsonl and ../shared/corpus/news-lee.jsonl, relative to the
repository root), trains a scikit-learn logistic regression to tell the two apart, and prints
5-fold cross-validated accuracy and the most informative features. It does so twice: with every
feature column; with the length-independent columns only (rates, shares, balance, intensity),
since news articles and editorials also differ in length; and with the framing-device columns
only (rates per 1,000 words, certainty balance, framing intensity, rebutted share).

    cargo build --release --features cli
    pip install -r examples/python/requirements.txt
    python examples/python/classify.py [--corpus DIR] [--rhetor PATH]
"""

import argparse
import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FILES = {"opinion": "editorials-dev.jsonl", "news": "news-lee.jsonl"}

# Columns that grow with the length of a document; left out of the length-independent model.
LENGTH_BOUND = ("_count", "_strength")
LENGTH_COLUMNS = {"words", "sentences", "chars", "paragraphs", "longest_sentence"}
DEVICE_COLUMNS = {"certainty_balance", "framing_intensity", "rebutted_share"}


def find_rhetor(given):
    if given:
        return given
    for build in ("release", "debug"):
        path = REPO / "target" / build / "rhetor"
        if path.is_file():
            return str(path)
    found = shutil.which("rhetor")
    if found:
        return found
    sys.exit("rhetor not found: run `cargo build --release --features cli` or pass --rhetor PATH")


def features(rhetor, path):
    """The feature table of one JSONL file: (column names, rows of floats)."""
    command = [rhetor, "features", "-q", str(path)]
    print("$", " ".join(command), file=sys.stderr)
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"rhetor features failed on {path}: {out.stderr.strip()}")
    rows = list(csv.reader(io.StringIO(out.stdout)))
    header, body = rows[0], rows[1:]
    return header[1:], [[float(x) for x in row[1:]] for row in body]


def evaluate(name, columns, x, y, keep):
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_validate
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    idx = [k for k, c in enumerate(columns) if keep(c)]
    xs = x[:, idx]
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, class_weight="balanced"))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    scores = cross_validate(model, xs, y, cv=folds, scoring=("accuracy", "balanced_accuracy"))
    acc, bal = scores["test_accuracy"], scores["test_balanced_accuracy"]
    print(f"\n{name}: {len(idx)} columns")
    print(f"  5-fold accuracy          {acc.mean():.3f} (+/- {acc.std():.3f})")
    print(f"  5-fold balanced accuracy {bal.mean():.3f} (+/- {bal.std():.3f})")
    model.fit(xs, y)
    coef = model[-1].coef_[0]
    order = np.argsort(-np.abs(coef))[:8]
    print("  most informative (standardized coefficient; + means opinion):")
    for k in order:
        print(f"    {columns[idx[k]]:<40} {coef[k]:+.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--rhetor", help="the rhetor binary (default: target/release/rhetor)")
    args = parser.parse_args()

    missing = [args.corpus / f for f in FILES.values() if not (args.corpus / f).is_file()]
    if missing:
        print(
            f"corpus absent: {', '.join(str(m) for m in missing)} not found.\n"
            "This example reads the project corpus from ../shared/corpus (relative to the "
            "repository root); pass --corpus DIR to point elsewhere. Nothing was trained.",
            file=sys.stderr,
        )
        sys.exit(2)

    import numpy as np

    rhetor = find_rhetor(args.rhetor)
    columns, xs, ys = None, [], []
    for label, name in FILES.items():
        cols, rows = features(rhetor, args.corpus / name)
        if columns is not None and cols != columns:
            sys.exit("the two tables have different columns")
        columns = cols
        xs += rows
        ys += [1 if label == "opinion" else 0] * len(rows)
    x, y = np.array(xs), np.array(ys)
    print(f"{int(y.sum())} opinion and {int(len(y) - y.sum())} news documents; "
          f"majority baseline accuracy {max(y.mean(), 1 - y.mean()):.3f}")
    evaluate("all feature columns", columns, x, y, lambda c: True)
    evaluate(
        "length-independent columns",
        columns,
        x,
        y,
        lambda c: not c.endswith(LENGTH_BOUND) and c not in LENGTH_COLUMNS,
    )
    evaluate(
        "framing devices only (rates, balance, intensity)",
        columns,
        x,
        y,
        lambda c: c.endswith("_per_1k") or c in DEVICE_COLUMNS,
    )


if __name__ == "__main__":
    main()
